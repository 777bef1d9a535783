import { Column, Entity } from 'typeorm';
import { EditableTenantRecord } from '../../platform/database/tenant-owned';
import type { Urgency } from './urgency';

export const SupportRequestStatus = { WAITING: 'WAITING', ASSIGNED: 'ASSIGNED', CLOSED: 'CLOSED' } as const;
export type SupportRequestStatus = (typeof SupportRequestStatus)[keyof typeof SupportRequestStatus];

/** A colleague's request for support, made by themself or referred by their manager. */
@Entity({ name: 'support_request' })
export class SupportRequest extends EditableTenantRecord {
  @Column({ name: 'scheme_id', type: 'uuid' })
  schemeId: string;

  /** The colleague who needs support. */
  @Column({ name: 'requester_person_id', type: 'uuid' })
  requesterPersonId: string;

  /** The manager who referred them, when it was a referral. */
  @Column({ name: 'referred_by_person_id', type: 'uuid', nullable: true })
  referredByPersonId: string | null;

  /** Only the colleague themself and the assigned MILO see who it is. */
  @Column({ type: 'boolean' })
  anonymous: boolean;

  @Column({ type: 'text' })
  urgency: Urgency;

  @Column({ name: 'immediate_risk', type: 'boolean' })
  immediateRisk: boolean;

  @Column({ name: 'preferred_area', type: 'text', nullable: true })
  preferredArea: string | null;

  /** Free text: optional, removed by the scheme's retention period. */
  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Column({ type: 'text' })
  status: SupportRequestStatus;

  @Column({ name: 'assigned_milo_id', type: 'uuid', nullable: true })
  assignedMiloId: string | null;

  @Column({ name: 'assigned_at', type: 'timestamptz', nullable: true })
  assignedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'closed_by', type: 'uuid', nullable: true })
  closedBy: string | null;

  @Column({ name: 'closure_outcome_code', type: 'text', nullable: true })
  closureOutcomeCode: string | null;

  @Column({ name: 'free_text_removed_at', type: 'timestamptz', nullable: true })
  freeTextRemovedAt: Date | null;
}
