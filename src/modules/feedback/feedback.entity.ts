import { Column, Entity } from 'typeorm';
import { TenantRecord } from '../../platform/database/tenant-owned';

export const FeedbackSource = { MILO: 'MILO', SUPPORTED_PERSON: 'SUPPORTED_PERSON' } as const;
export type FeedbackSource = (typeof FeedbackSource)[keyof typeof FeedbackSource];

/** Feedback on a closed request, from its MILO or from the person supported (anonymously). */
@Entity({ name: 'feedback' })
export class Feedback extends TenantRecord {
  @Column({ name: 'support_request_id', type: 'uuid' })
  supportRequestId: string;

  @Column({ type: 'text' })
  source: FeedbackSource;

  @Column({ name: 'milo_id', type: 'uuid', nullable: true })
  miloId: string | null;

  @Column({ type: 'integer' })
  rating: number;

  @Column({ name: 'theme_codes', type: 'text', array: true })
  themeCodes: string[];

  @Column({ name: 'training_need_codes', type: 'text', array: true })
  trainingNeedCodes: string[];

  /** Free text, removed by the scheme's retention period. */
  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ name: 'comment_removed_at', type: 'timestamptz', nullable: true })
  commentRemovedAt: Date | null;
}
