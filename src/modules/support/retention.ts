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
 * - the sweep (the retention module, run by `npm run retention` and periodically by the
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

/** What one sweep of one organisation removed from the support module's own tables. */
export interface SupportFreeTextRemoval {
  supportRequests: number;
  contactNotes: number;
  adviceRequests: number;
}

/** A finished support request of the tenant whose scheme's period has run at $2. */
const EXPIRED_REQUEST = `
  request.tenant_id = $1
  and request.status = 'CLOSED'
  and request.closed_at <= $2::timestamptz - scheme.free_text_retention_days * interval '24 hours'`;

/** Each statement counts what it changed, so the caller gets numbers whatever the driver returns for UPDATE. */
const STATEMENTS: Record<keyof SupportFreeTextRemoval, string> = {
  supportRequests: `
    update support_request request set summary = null, free_text_removed_at = $2, updated_at = now()
      from scheme
     where scheme.tenant_id = request.tenant_id and scheme.id = request.scheme_id
       and ${EXPIRED_REQUEST} and request.free_text_removed_at is null`,
  contactNotes: `
    update support_contact target set note = null, note_removed_at = $2
      from support_request request join scheme on scheme.tenant_id = request.tenant_id and scheme.id = request.scheme_id
     where target.tenant_id = request.tenant_id and target.support_request_id = request.id
       and ${EXPIRED_REQUEST} and target.note is not null`,
  adviceRequests: `
    update advice_request target set description = null, answer = null, free_text_removed_at = $2, updated_at = now()
      from scheme
     where target.tenant_id = $1 and scheme.tenant_id = target.tenant_id and scheme.id = target.scheme_id
       and target.status = 'ANSWERED' and target.free_text_removed_at is null
       and target.answered_at <= $2::timestamptz - scheme.free_text_retention_days * interval '24 hours'`,
};

/**
 * The tenant's finished support requests whose free text is past retention at `now`: what the
 * modules keeping free text about a request (feedback, referrals) remove theirs for.
 */
export async function expiredSupportRequestIds(manager: EntityManager, tenantId: string, now: Date): Promise<string[]> {
  const rows: Array<{ id: string }> = await manager.query(
    `select request.id from support_request request
       join scheme on scheme.tenant_id = request.tenant_id and scheme.id = request.scheme_id
      where ${EXPIRED_REQUEST}`,
    [tenantId, now],
  );
  return rows.map((row) => row.id);
}

/**
 * Nulls the support module's free text past retention at `now` (request summaries, contact
 * notes, advice) and stamps when. Runs with any manager whose transaction carries the tenant's
 * context (row-level security keeps it to that tenant). Idempotent.
 */
export async function removeExpiredSupportFreeText(manager: EntityManager, tenantId: string, now: Date): Promise<SupportFreeTextRemoval> {
  const removal: SupportFreeTextRemoval = { supportRequests: 0, contactNotes: 0, adviceRequests: 0 };
  for (const kind of Object.keys(STATEMENTS) as Array<keyof SupportFreeTextRemoval>) {
    const rows: Array<{ removed: number }> = await manager.query(
      `with changed as (${STATEMENTS[kind]} returning 1) select count(*)::int as removed from changed`,
      [tenantId, now],
    );
    removal[kind] = rows[0]?.removed ?? 0;
  }
  return removal;
}
