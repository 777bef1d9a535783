import type { RequestContext } from './context';

export type AuditOutcome = 'ALLOWED' | 'DENIED';

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
  await context.db.query(
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
