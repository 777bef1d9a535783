import { Column, Entity } from 'typeorm';
import { TenantOwned } from '../../platform/database/tenant-owned';

/**
 * One event of an owner's audit log (tenantId: whose log, i.e. whose record it is about).
 * Written only through src/platform/audit.ts; insert-only for the application role (no
 * UPDATE or DELETE grant), so this entity is only ever read.
 */
@Entity({ name: 'audit_event' })
export class AuditEvent extends TenantOwned {
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'actor_organisation_id', type: 'uuid' })
  actorOrganisationId: string;

  @Column({ name: 'actor_person_id', type: 'uuid', nullable: true })
  actorPersonId: string | null;

  @Column({ name: 'actor_subject', type: 'text' })
  actorSubject: string;

  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType: string;

  @Column({ name: 'entity_id', type: 'uuid', nullable: true })
  entityId: string | null;

  @Column({ type: 'text', nullable: true })
  purpose: string | null;

  @Column({ type: 'text' })
  outcome: 'ALLOWED' | 'DENIED';

  @Column({ type: 'jsonb' })
  details: Record<string, unknown>;
}
