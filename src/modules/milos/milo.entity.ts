import { Column, Entity } from 'typeorm';
import { TenantOwned } from '../../platform/database/tenant-owned';
import type { SchemeRoleCode } from '../schemes';
import type { MiloStatus } from './milo-lifecycle';

/** A person's membership of a scheme as a MILO or Lead MILO. */
@Entity({ name: 'milo' })
export class Milo extends TenantOwned {
  @Column({ name: 'scheme_id', type: 'uuid' })
  schemeId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ name: 'role_code', type: 'text' })
  roleCode: SchemeRoleCode;

  /** The last recorded status; an ACTIVE MILO whose training lapsed reads as LAPSED (see effectiveStatus). */
  @Column({ type: 'text' })
  status: MiloStatus;

  @Column({ name: 'status_since', type: 'date' })
  statusSince: string;

  @Column({ type: 'text', nullable: true })
  area: string | null;

  /** Most open cases the MILO takes at once. */
  @Column({ type: 'integer' })
  capacity: number;

  @Column({ name: 'lead_milo_id', type: 'uuid', nullable: true })
  leadMiloId: string | null;
}
