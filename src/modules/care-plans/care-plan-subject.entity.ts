import { Column, Entity } from 'typeorm';
import { EditableTenantRecord } from '../../platform/database/tenant-owned';

/** Who a care plan is about: read one plan at a time, shared only under field scope `subjectIdentity`. */
@Entity({ name: 'care_plan_subject' })
export class CarePlanSubject extends EditableTenantRecord {
  @Column({ name: 'care_plan_id', type: 'uuid' })
  carePlanId: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ name: 'date_of_birth', type: 'date', nullable: true })
  dateOfBirth: string | null;

  @Column({ name: 'nhs_number', type: 'text', nullable: true })
  nhsNumber: string | null;

  @Column({ name: 'local_identifiers', type: 'text', nullable: true })
  localIdentifiers: string | null;
}
