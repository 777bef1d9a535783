import type { DataSource, EntityManager } from 'typeorm';
import { withTenantTransaction } from '../../platform/database/tenant-transaction';
import type { FieldProblem } from '../../platform/errors';
import { COMMENT_MAX_LENGTH, RATING_MAX, RATING_MIN, THEMES_MAX, type FeedbackAnswer } from './feedback-answer';
import type { ParsedFeedbackToken } from './feedback-token';

/*
 * The no-account side of feedback: someone holding a one-time link reads the form and answers
 * it once. There is no viewer, so each call opens its own tenant transaction for the
 * organisation the token names, with no actor and no roles; row-level security still keeps
 * it inside that organisation, and the token's hash must match an invitation there.
 *
 * Refusals (stable codes, documented in README):
 *   404 NOT_FOUND        the token is malformed, unknown, or its organisation is not active;
 *   410 GONE             the link was used (extensions.reason USED) or has expired (EXPIRED);
 *   400 BAD_USER_INPUT   the answer is not valid (extensions.problems);
 *   409 CONFLICT         the person supported has already answered for this request.
 */

/** Who the platform says answered: nobody in particular. Kept in the audit log's actor_subject. */
export const ANONYMOUS_SUBJECT = 'anonymous-feedback-link';

export class FeedbackLinkRefusal extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 410,
    readonly code: 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'GONE',
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const notValid = () => new FeedbackLinkRefusal(404, 'NOT_FOUND', 'This feedback link is not valid');
const used = () => new FeedbackLinkRefusal(410, 'GONE', 'This feedback link has already been used', { reason: 'USED' });
const expired = () => new FeedbackLinkRefusal(410, 'GONE', 'This feedback link has expired', { reason: 'EXPIRED' });

export interface FeedbackForm {
  organisationName: string;
  themes: Array<{ code: string; label: string }>;
  expiresAt: string;
  rating: { min: number; max: number };
  themesMax: number;
  commentMaxLength: number;
}

function inOrganisation<T>(dataSource: DataSource, token: ParsedFeedbackToken, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return withTenantTransaction(dataSource, { tenantId: token.organisationId }, work);
}

async function activeOrganisationName(manager: EntityManager, organisationId: string): Promise<string> {
  const [organisation] = await manager.query(`select name from organisation where id = $1 and status = 'ACTIVE'`, [organisationId]);
  if (!organisation) throw notValid();
  return organisation.name;
}

/** Why an invitation could not be used: unknown, used or expired. */
async function refusalFor(manager: EntityManager, token: ParsedFeedbackToken): Promise<FeedbackLinkRefusal> {
  const [invitation] = await manager.query(
    `select used_at is not null as used from feedback_invitation where tenant_id = $1 and token_hash = $2`,
    [token.organisationId, token.tokenHash],
  );
  if (!invitation) return notValid();
  return invitation.used ? used() : expired();
}

/** GET /feedback/<token>: what the form needs. Reading does not use the link up. */
export function feedbackForm(dataSource: DataSource, token: ParsedFeedbackToken): Promise<FeedbackForm> {
  return inOrganisation(dataSource, token, async (manager) => {
    const organisationName = await activeOrganisationName(manager, token.organisationId);
    const [invitation] = await manager.query(
      `select expires_at, used_at is not null as used, expires_at <= now() as expired
         from feedback_invitation where tenant_id = $1 and token_hash = $2`,
      [token.organisationId, token.tokenHash],
    );
    if (!invitation) throw notValid();
    if (invitation.used) throw used();
    if (invitation.expired) throw expired();
    const themes: Array<{ code: string; label: string }> = await manager.query(
      `select code, label from taxonomy_term where tenant_id = $1 and taxonomy = 'SUPPORT_THEME' and active order by position, code`,
      [token.organisationId],
    );
    return {
      organisationName,
      themes,
      expiresAt: new Date(invitation.expires_at).toISOString(),
      rating: { min: RATING_MIN, max: RATING_MAX },
      themesMax: THEMES_MAX,
      commentMaxLength: COMMENT_MAX_LENGTH,
    };
  });
}

/**
 * POST /feedback/<token>: uses the link up and stores the answer in one transaction. The
 * invitation is consumed by a single conditional UPDATE, so of two answers sent at once only
 * one finds it unused; anything refused afterwards rolls the consumption back with the rest.
 * Nothing that identifies the sender is stored: no person, no MILO, no address.
 */
export function answerFeedbackLink(dataSource: DataSource, token: ParsedFeedbackToken, answer: FeedbackAnswer): Promise<{ feedbackId: string }> {
  return inOrganisation(dataSource, token, async (manager) => {
    await activeOrganisationName(manager, token.organisationId);
    const consumed: Array<{ id: string; support_request_id: string }> = await manager.query(
      // Wrapped in a CTE so the driver returns the rows (a bare UPDATE answers [rows, count]).
      `with consumed as (
         update feedback_invitation set used_at = now()
          where tenant_id = $1 and token_hash = $2 and used_at is null and expires_at > now()
          returning id, support_request_id)
       select id, support_request_id from consumed`,
      [token.organisationId, token.tokenHash],
    );
    if (consumed.length === 0) throw await refusalFor(manager, token);
    const [invitation] = consumed;

    if (answer.themeCodes.length) {
      const known: Array<{ code: string }> = await manager.query(
        `select code from taxonomy_term where tenant_id = $1 and taxonomy = 'SUPPORT_THEME' and active and code = any($2::text[])`,
        [token.organisationId, answer.themeCodes],
      );
      const active = new Set(known.map((row) => row.code));
      const problems: FieldProblem[] = answer.themeCodes.flatMap((code, index) =>
        active.has(code) ? [] : [{ field: `themeCodes[${index}]`, message: `"${code}" is not one of the themes on the form` }],
      );
      if (problems.length) throw new FeedbackLinkRefusal(400, 'BAD_USER_INPUT', 'The answer is not valid', { problems });
    }

    const [{ already }] = await manager.query(
      `select exists (select 1 from feedback where tenant_id = $1 and support_request_id = $2 and source = 'SUPPORTED_PERSON') as already`,
      [token.organisationId, invitation.support_request_id],
    );
    if (already) throw new FeedbackLinkRefusal(409, 'CONFLICT', 'Feedback from the person supported has already been given for this request');

    const [{ id }] = await manager.query(
      `insert into feedback (tenant_id, support_request_id, source, milo_id, rating, theme_codes, training_need_codes, comment)
       values ($1, $2, 'SUPPORTED_PERSON', null, $3, $4::text[], '{}', $5)
       returning id`,
      [token.organisationId, invitation.support_request_id, answer.rating, answer.themeCodes, answer.comment],
    );
    await manager.query(
      `insert into audit_event (tenant_id, actor_organisation_id, actor_person_id, actor_subject, action, entity_type, entity_id, outcome, details)
       values ($1, $1, null, $2, 'SUPPORTED_PERSON_FEEDBACK_RECEIVED', 'Feedback', $3, 'ALLOWED', $4)`,
      // Nothing that leads back to the request or says what they answered: the event records
      // that an anonymous answer arrived, no more.
      [token.organisationId, ANONYMOUS_SUBJECT, id, JSON.stringify({})],
    );
    return { feedbackId: id };
  });
}
