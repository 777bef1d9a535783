import type { EntityManager } from 'typeorm';
import type { RequestContext } from './context';

export type AuditOutcome = 'ALLOWED' | 'DENIED';

/** A denial waiting to be written after the request's transaction ends. */
export interface PendingDenial {
  entry: AuditEntry;
  ownerTenantId: string;
}

export interface AuditEntry {
  /** What was done, in the domain's words: 'TRAINING_REQUIREMENTS_REPLACED', 'CARE_PLAN_READ'. */
  action: string;
  entityType: string;
  entityId: string | null;
  /** Why, where the rule needs one (the agreement's purpose for partner access). */
  purpose?: string | null;
  outcome?: AuditOutcome;
  /** Before/after values or the rule that decided; never free text about a person. */
  details?: Record<string, unknown>;
}

/**
 * Appends an audit event to the data owner's log (DESIGN.md 5: AuditEvent), inside the
 * request's transaction so the event and the change it records commit together. The owner
 * defaults to the caller's organisation; cross-tenant access names the owner explicitly.
 */
export async function recordAudit(context: RequestContext, entry: AuditEntry, ownerTenantId = context.tenantId): Promise<void> {
  await insertAuditEvent(context.db, context, entry, ownerTenantId);
}

/**
 * Records a refusal (outcome DENIED) that must outlive the refused operation: the request's
 * transaction rolls back on the error that follows, so the event is queued on the context and
 * written once the transaction has ended, in a transaction of its own with the same caller
 * (see the transaction plugin). Data protection officers need to see attempts, not only
 * successes (DPA 2018 s.62).
 */
export function recordDenial(context: RequestContext, entry: Omit<AuditEntry, 'outcome'>, ownerTenantId = context.tenantId): void {
  context.pendingDenials.push({ entry: { ...entry, outcome: 'DENIED' }, ownerTenantId });
}

/** Writes the denials queued by recordDenial with the given manager; empties the queue. */
export async function writePendingDenials(context: RequestContext, manager: EntityManager): Promise<void> {
  const pending = context.pendingDenials.splice(0);
  for (const { entry, ownerTenantId } of pending) await insertAuditEvent(manager, context, entry, ownerTenantId);
}

async function insertAuditEvent(manager: EntityManager, context: RequestContext, entry: AuditEntry, ownerTenantId: string): Promise<void> {
  await manager.query(
    `insert into audit_event (tenant_id, actor_organisation_id, actor_person_id, actor_subject, action, entity_type, entity_id, purpose, outcome, details)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      ownerTenantId,
      context.tenantId,
      context.viewer.personId,
      context.viewer.subject,
      entry.action,
      entry.entityType,
      entry.entityId,
      entry.purpose ?? null,
      entry.outcome ?? 'ALLOWED',
      JSON.stringify(entry.details ?? {}),
    ],
  );
}
