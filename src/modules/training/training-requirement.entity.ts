import { Column, Entity } from 'typeorm';
import type { SchemeRoleCode } from '../schemes';
import { TenantOwned } from '../../platform/database/tenant-owned';
import type { RequirementKind } from './eligibility';


/**
 * What a scheme role needs: one of a set of modules (optionally refreshed every N months),
 * or a minimum of training hours. Replaced rather than edited, so each change is audited.
 */
@Entity({ name: 'training_requirement' })
export class TrainingRequirement extends TenantOwned {
  @Column({ name: 'scheme_id', type: 'uuid' })
  schemeId: string;

  @Column({ name: 'role_code', type: 'text' })
  roleCode: SchemeRoleCode;

  @Column({ type: 'text' })
  kind: RequirementKind;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'module_ids', type: 'uuid', array: true })
  moduleIds: string[];

  @Column({ name: 'refresh_months', type: 'integer', nullable: true })
  refreshMonths: number | null;

  @Column({
    name: 'minimum_hours',
    type: 'numeric',
    precision: 6,
    scale: 1,
    nullable: true,
    transformer: { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) },
  })
  minimumHours: number | null;
}
