import { Column, Entity } from 'typeorm';
import { TenantOwned } from '../../platform/database/tenant-owned';

/** The plan as it stood after one change: who, when, what changed. */
@Entity({ name: 'care_plan_version' })
export class CarePlanVersion extends TenantOwned {
  @Column({ name: 'care_plan_id', type: 'uuid' })
  carePlanId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  snapshot: Record<string, unknown>;

  @Column({ name: 'change_summary', type: 'text' })
  changeSummary: string;

  @Column({ name: 'changed_by', type: 'uuid', nullable: true })
  changedBy: string | null;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;

  @Column({ name: 'anonymised_at', type: 'timestamptz', nullable: true })
  anonymisedAt: Date | null;
}
