import { Column, Entity } from 'typeorm';
import { TenantRecord } from '../../platform/database/tenant-owned';

/** A one-time feedback link for the person supported; only the token's hash is stored. */
@Entity({ name: 'feedback_invitation' })
export class FeedbackInvitation extends TenantRecord {
  @Column({ name: 'support_request_id', type: 'uuid' })
  supportRequestId: string;

  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;
}
