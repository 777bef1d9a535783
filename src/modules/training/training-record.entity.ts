import { Column, Entity } from 'typeorm';
import { TenantOwned } from '../../platform/database/tenant-owned';

/** One completion of a module by a person; expiry is derived from the module and requirement. */
@Entity({ name: 'training_record' })
export class TrainingRecord extends TenantOwned {
  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ name: 'module_id', type: 'uuid' })
  moduleId: string;

  /** A calendar date (YYYY-MM-DD): training is completed on a day, not at an instant. */
  @Column({ name: 'completed_on', type: 'date' })
  completedOn: string;

  @Column({ name: 'evidence_reference', type: 'text', nullable: true })
  evidenceReference: string | null;

  @Column({ name: 'verified_by', type: 'uuid', nullable: true })
  verifiedBy: string | null;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;
}
