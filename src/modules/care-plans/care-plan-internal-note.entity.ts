import { Column, Entity } from 'typeorm';
import { TenantRecord } from '../../platform/database/tenant-owned';

/** A police-only (owner-only) note on a plan: no agreement can share it (no partner policy). */
@Entity({ name: 'care_plan_internal_note' })
export class CarePlanInternalNote extends TenantRecord {
  @Column({ name: 'care_plan_id', type: 'uuid' })
  carePlanId: string;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  @Column({ name: 'author_person_id', type: 'uuid' })
  authorPersonId: string;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt: Date | null;
}
