import { Column, Entity } from 'typeorm';
import { EditableTenantRecord } from '../../platform/database/tenant-owned';

export const SchemeStatus = { DRAFT: 'DRAFT', ACTIVE: 'ACTIVE', CLOSED: 'CLOSED' } as const;
export type SchemeStatus = (typeof SchemeStatus)[keyof typeof SchemeStatus];

/** An organisation's MILO scheme. Configuration (requirements, lifecycle) hangs off it. */
@Entity({ name: 'scheme' })
export class Scheme extends EditableTenantRecord {
  /** What the organisation calls its scheme (not every service says "MILO"). */
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ name: 'role_boundaries', type: 'text', nullable: true })
  roleBoundaries: string | null;

  @Column({ type: 'text' })
  status: SchemeStatus;

  /** Hours a support request may wait for a MILO before the Lead's queue flags it. */
  @Column({ name: 'support_target_hours', type: 'integer' })
  supportTargetHours: number;

  /** Days after a request closes (or advice is answered) that its free text is removed. */
  @Column({ name: 'free_text_retention_days', type: 'integer' })
  freeTextRetentionDays: number;

  /** What the scheme tells someone at immediate risk, shown beside its crisis services. */
  @Column({ name: 'crisis_guidance', type: 'text', nullable: true })
  crisisGuidance: string | null;
}
