import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../platform/context';
import { schemeById } from '../schemes';
import type { AdviceRequest } from './advice-request.entity';
import { isFreeTextExpired } from './retention-rules';
import type { SupportRequest } from './support-request.entity';

/*
 * Free text about a case is removed once the scheme's retention period has run from the end
 * of the case (retention-rules.ts). Two halves keep that promise:
 *
 * - on read, text past its period is hidden at once, whether or not the sweep has run, so no
 *   reader depends on a job's timing;
 * - the sweep (removeExpiredFreeText, run by `npm run retention` and periodically by the
 *   server) nulls the text in the database and stamps when, so it is gone for good, from
 *   backups onwards. Counts, minutes, codes and dates stay: the demand figures need them.
 */

/** Whether a support request's free text (summary, notes, feedback comments, referral reasons) is past retention. */
export async function supportFreeTextExpired(context: RequestContext, request: SupportRequest): Promise<boolean> {
  if (request.freeTextRemovedAt) return true;
  if (!request.closedAt) return false;
  const scheme = await context.loaders.use(schemeById).load(request.schemeId);
  return scheme !== null && isFreeTextExpired(request.closedAt, scheme.freeTextRetentionDays, context.now);
}

/** Whether an advice request's description and answer are past retention. */
export async function adviceFreeTextExpired(context: RequestContext, advice: AdviceRequest): Promise<boolean> {
  if (advice.freeTextRemovedAt) return true;
  if (!advice.answeredAt) return false;
  const scheme = await context.loaders.use(schemeById).load(advice.schemeId);
  return scheme !== null && isFreeTextExpired(advice.answeredAt, scheme.freeTextRetentionDays, context.now);
}

/** What one sweep of one organisation removed: rows whose free text was nulled, per kind. */
export interface FreeTextRemoval {
  supportRequests: number;
  contactNotes: number;
  feedbackComments: number;
  referralReasons: number;
  adviceRequests: number;
}

export const RETENTION_SUBJECT = 'platform:retention';

/** A finished support request of the tenant whose scheme's period has run at $2. */
const EXPIRED_REQUEST = `
  request.tenant_id = $1
  and request.status = 'CLOSED'
  and request.closed_at <= $2::timestamptz - scheme.free_text_retention_days * interval '24 hours'`;

const REQUEST_WITH_SCHEME = `support_request request join scheme on scheme.tenant_id = request.tenant_id and scheme.id = request.scheme_id`;

/** Each statement counts what it changed, so the caller gets numbers whatever the driver returns for UPDATE. */
const STATEMENTS: Record<keyof FreeTextRemoval, string> = {
  supportRequests: `
    update support_request request set summary = null, free_text_removed_at = $2, updated_at = now()
      from scheme
     where scheme.tenant_id = request.tenant_id and scheme.id = request.scheme_id
       and ${EXPIRED_REQUEST} and request.free_text_removed_at is null`,
  contactNotes: `
    update support_contact target set note = null, note_removed_at = $2
      from ${REQUEST_WITH_SCHEME}
     where target.tenant_id = request.tenant_id and target.support_request_id = request.id
       and ${EXPIRED_REQUEST} and target.note is not null`,
  feedbackComments: `
    update feedback target set comment = null, comment_removed_at = $2
      from ${REQUEST_WITH_SCHEME}
     where target.tenant_id = request.tenant_id and target.support_request_id = request.id
       and ${EXPIRED_REQUEST} and target.comment is not null`,
  referralReasons: `
    update referral target set reason = null, colleague_name = null, contact_details = null, status_note = null,
           free_text_removed_at = $2, updated_at = now()
      from ${REQUEST_WITH_SCHEME}
     where target.tenant_id = request.tenant_id and target.support_request_id = request.id
       and ${EXPIRED_REQUEST} and target.free_text_removed_at is null`,
  adviceRequests: `
    update advice_request target set description = null, answer = null, free_text_removed_at = $2, updated_at = now()
      from scheme
     where target.tenant_id = $1 and scheme.tenant_id = target.tenant_id and scheme.id = target.scheme_id
       and target.status = 'ANSWERED' and target.free_text_removed_at is null
       and target.answered_at <= $2::timestamptz - scheme.free_text_retention_days * interval '24 hours'`,
};

/**
 * Nulls one organisation's free text that is past retention at `now` and stamps when; returns
 * what it removed and, when anything, records it in the organisation's audit log (by the
 * platform, not a person). Runs with any manager whose transaction carries the tenant's
 * context (row-level security keeps it to that tenant). Idempotent: a second run removes
 * nothing.
 */
export async function removeExpiredFreeText(manager: EntityManager, tenantId: string, now: Date): Promise<FreeTextRemoval> {
  const removal: FreeTextRemoval = { supportRequests: 0, contactNotes: 0, feedbackComments: 0, referralReasons: 0, adviceRequests: 0 };
  for (const kind of Object.keys(STATEMENTS) as Array<keyof FreeTextRemoval>) {
    const rows: Array<{ removed: number }> = await manager.query(
      `with changed as (${STATEMENTS[kind]} returning 1) select count(*)::int as removed from changed`,
      [tenantId, now],
    );
    removal[kind] = rows[0]?.removed ?? 0;
  }
  if (Object.values(removal).some((count) => count > 0)) {
    await manager.query(
      `insert into audit_event (tenant_id, actor_organisation_id, actor_person_id, actor_subject, action, entity_type, entity_id, outcome, details)
       values ($1, $1, null, $2, 'FREE_TEXT_REMOVED', 'Organisation', $1, 'ALLOWED', $3)`,
      [tenantId, RETENTION_SUBJECT, JSON.stringify({ ...removal, asOf: now.toISOString() })],
    );
  }
  return removal;
}
