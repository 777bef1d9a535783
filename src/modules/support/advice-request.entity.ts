import { Column, Entity } from 'typeorm';
import { EditableTenantRecord } from '../../platform/database/tenant-owned';
import type { Urgency } from './urgency';

export const AdviceRequestStatus = { WAITING: 'WAITING', ANSWERED: 'ANSWERED' } as const;
export type AdviceRequestStatus = (typeof AdviceRequestStatus)[keyof typeof AdviceRequestStatus];

/** An officer's request for advice about a member of the public, answered by a MILO. */
@Entity({ name: 'advice_request' })
export class AdviceRequest extends EditableTenantRecord {
  @Column({ name: 'scheme_id', type: 'uuid' })
  schemeId: string;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy: string;

  @Column({ name: 'incident_reference', type: 'text' })
  incidentReference: string;

  /** What happened: free text, removed by the scheme's retention period. */
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text' })
  urgency: Urgency;

  @Column({ type: 'text', nullable: true })
  area: string | null;

  /** SUPPORT_THEME codes, set by the answering MILO. */
  @Column({ name: 'theme_codes', type: 'text', array: true })
  themeCodes: string[];

  @Column({ type: 'text' })
  status: AdviceRequestStatus;

  /** Free text, removed by retention like the description. */
  @Column({ type: 'text', nullable: true })
  answer: string | null;

  @Column({ name: 'answered_by_milo_id', type: 'uuid', nullable: true })
  answeredByMiloId: string | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  /** Time the MILO spent, for the demand figures. */
  @Column({ type: 'integer', nullable: true })
  minutes: number | null;

  @Column({ name: 'free_text_removed_at', type: 'timestamptz', nullable: true })
  freeTextRemovedAt: Date | null;
}
