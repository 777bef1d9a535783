import type { EntityManager } from 'typeorm';
import { removeFeedbackComments } from '../feedback';
import { removeReferralFreeText } from '../referrals';
import { expiredSupportRequestIds, removeExpiredSupportFreeText } from '../support';

/*
 * Free text about a case lives in three modules: support (summaries, contact notes, advice),
 * feedback (comments) and referrals (reasons and the colleague's details). Each module removes
 * its own with its own SQL; this module only runs them together, so that none of them has to
 * reach into another's tables (docs/architecture.md, "SQL conventions").
 */

/** What one sweep of one organisation removed: rows whose free text was nulled, per kind. */
export interface FreeTextRemoval {
  supportRequests: number;
  contactNotes: number;
  feedbackComments: number;
  referralReasons: number;
  adviceRequests: number;
}

const RETENTION_SUBJECT = 'platform:retention';

/**
 * Nulls one organisation's free text that is past retention at `now` and stamps when; returns
 * what it removed and, when anything, records it in the organisation's audit log (by the
 * platform, not a person). Runs with any manager whose transaction carries the tenant's
 * context (row-level security keeps it to that tenant). Idempotent: a second run removes
 * nothing.
 */
export async function removeExpiredFreeText(manager: EntityManager, tenantId: string, now: Date): Promise<FreeTextRemoval> {
  // Named before the support rows are stamped; the expiry does not depend on the stamp, so the
  // order only keeps each statement simple.
  const expiredRequests = await expiredSupportRequestIds(manager, tenantId, now);
  const support = await removeExpiredSupportFreeText(manager, tenantId, now);
  const removal: FreeTextRemoval = {
    supportRequests: support.supportRequests,
    contactNotes: support.contactNotes,
    feedbackComments: await removeFeedbackComments(manager, tenantId, expiredRequests, now),
    referralReasons: await removeReferralFreeText(manager, tenantId, expiredRequests, now),
    adviceRequests: support.adviceRequests,
  };
  if (Object.values(removal).some((count) => count > 0)) {
    await manager.query(
      `insert into audit_event (tenant_id, actor_organisation_id, actor_person_id, actor_subject, action, entity_type, entity_id, outcome, details)
       values ($1, $1, null, $2, 'FREE_TEXT_REMOVED', 'Organisation', $1, 'ALLOWED', $3)`,
      [tenantId, RETENTION_SUBJECT, JSON.stringify({ ...removal, asOf: now.toISOString() })],
    );
  }
  return removal;
}
