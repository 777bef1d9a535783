import { Column, Entity } from 'typeorm';
import { TenantOwned } from '../../platform/database/tenant-owned';
import type { MiloStatus } from './milo-lifecycle';

/** One move in a MILO's lifecycle: who, when and why. changedBy null = the platform (a lapse). */
@Entity({ name: 'milo_status_change' })
export class MiloStatusChange extends TenantOwned {
  @Column({ name: 'milo_id', type: 'uuid' })
  miloId: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus: MiloStatus | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus: MiloStatus;

  @Column({ name: 'effective_on', type: 'date' })
  effectiveOn: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'changed_by', type: 'uuid', nullable: true })
  changedBy: string | null;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;
}
