import { Column, Entity } from 'typeorm';
import { TenantOwned } from '../../platform/database/tenant-owned';
import type { SchemeRoleCode } from './scheme-role';

/**
 * How a scheme names and describes one of its roles (MILO, Lead MILO): a fire service may
 * call its MILOs something else. One row per scheme and role.
 */
@Entity({ name: 'scheme_role' })
export class SchemeRoleDefinition extends TenantOwned {
  @Column({ name: 'scheme_id', type: 'uuid' })
  schemeId: string;

  @Column({ type: 'text' })
  code: SchemeRoleCode;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;
}
