import { Column, Entity } from 'typeorm';
import { EditableTenantRecord } from '../../platform/database/tenant-owned';
import type { Urgency } from '../support';

export const ReferralStatus = { SENT: 'SENT', ACCEPTED: 'ACCEPTED', DECLINED: 'DECLINED', COMPLETED: 'COMPLETED' } as const;
export type ReferralStatus = (typeof ReferralStatus)[keyof typeof ReferralStatus];

/**
 * A hand-over of a colleague to a partner's service (the shared occupational-health unit).
 * Owned by the referring organisation (tenantId); the target reads and moves it only while
 * the referring organisation's agreement grants it.
 */
@Entity({ name: 'referral' })
export class Referral extends EditableTenantRecord {
  @Column({ name: 'support_request_id', type: 'uuid' })
  supportRequestId: string;

  @Column({ name: 'agreement_id', type: 'uuid' })
  agreementId: string;

  @Column({ name: 'target_organisation_id', type: 'uuid' })
  targetOrganisationId: string;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  @Column({ name: 'service_name', type: 'text' })
  serviceName: string;

  @Column({ name: 'referred_by', type: 'uuid' })
  referredBy: string;

  @Column({ type: 'text' })
  urgency: Urgency;

  @Column({ name: 'consent_confirmed', type: 'boolean' })
  consentConfirmed: boolean;

  @Column({ name: 'colleague_name', type: 'text', nullable: true })
  colleagueName: string | null;

  @Column({ name: 'contact_details', type: 'text', nullable: true })
  contactDetails: string | null;

  /** Free text, removed by the referring scheme's retention period. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'text' })
  status: ReferralStatus;

  @Column({ name: 'status_note', type: 'text', nullable: true })
  statusNote: string | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true })
  statusChangedAt: Date | null;

  @Column({ name: 'status_changed_by_organisation_id', type: 'uuid', nullable: true })
  statusChangedByOrganisationId: string | null;

  @Column({ name: 'free_text_removed_at', type: 'timestamptz', nullable: true })
  freeTextRemovedAt: Date | null;
}
