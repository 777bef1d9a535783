import { Column, Entity } from 'typeorm';
import { TenantRecord } from '../../platform/database/tenant-owned';

/** One contact a MILO logs on a request. Minimal by design: no clinical detail. */
@Entity({ name: 'support_contact' })
export class SupportContact extends TenantRecord {
  @Column({ name: 'support_request_id', type: 'uuid' })
  supportRequestId: string;

  @Column({ name: 'milo_id', type: 'uuid' })
  miloId: string;

  @Column({ name: 'contact_on', type: 'date' })
  contactOn: string;

  @Column({ type: 'integer' })
  minutes: number;

  /** SUPPORT_THEME codes of the organisation's taxonomy. */
  @Column({ name: 'theme_codes', type: 'text', array: true })
  themeCodes: string[];

  /** A CONTACT_OUTCOME code. */
  @Column({ name: 'outcome_code', type: 'text' })
  outcomeCode: string;

  /** Free text: optional, for the assigned MILO and Leads only, removed by retention. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'note_removed_at', type: 'timestamptz', nullable: true })
  noteRemovedAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;
}
