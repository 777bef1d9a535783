import { Column, Entity } from 'typeorm';
import { TenantOwned } from '../../platform/database/tenant-owned';

/** One assignment of a request to a MILO: who assigned it, when, and any override of the checks. */
@Entity({ name: 'support_assignment' })
export class SupportAssignment extends TenantOwned {
  @Column({ name: 'support_request_id', type: 'uuid' })
  supportRequestId: string;

  @Column({ name: 'milo_id', type: 'uuid' })
  miloId: string;

  @Column({ name: 'assigned_by', type: 'uuid' })
  assignedBy: string;

  @Column({ name: 'assigned_at', type: 'timestamptz' })
  assignedAt: Date;

  /** Why the Lead assigned despite a MILO not ACTIVE or at capacity; null when no override. */
  @Column({ name: 'override_reason', type: 'text', nullable: true })
  overrideReason: string | null;
}
