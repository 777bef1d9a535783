/*
 * What an audit event says, apart from how it is written (audit.ts): the request context
 * queues kept events without depending on the code that writes them.
 */

export type AuditOutcome = 'ALLOWED' | 'DENIED';

/**
 * An event that must be kept whatever happens to the request's transaction: a refusal, or a
 * read whose data has gone out (a partial response still carries what was resolved).
 */
export interface KeptEvent {
  entry: AuditEntry;
  ownerTenantId: string;
  withholdActor?: boolean;
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
