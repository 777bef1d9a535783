import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { badUserInput, conflict, forbidden, notFound } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { maySeeMilo, miloById, type Milo } from '../milos';
import { isAssignedMilo, isLeadOf, maySeeCaseNotes, supportFreeTextExpired, supportRequestById, type SupportRequest } from '../support';
import { problemsWithCodes } from '../taxonomies';
import { Feedback } from './feedback.entity';
import { feedbackById, feedbackBySupportRequestId } from './feedback.loaders';
import { feedbackPath, issueFeedbackToken } from './feedback-token';
import { FEEDBACK_LINK_DAYS_DEFAULT, type CreateFeedbackLinkInput, type GiveCaseFeedbackInput } from './feedback.types';

/*
 * Feedback on closed support requests. The MILO who had the case rates it once and says what
 * training would have helped; the person supported answers once, anonymously, through a
 * one-time link (feedback-link.service.ts). Reading it is for those who may read the case's
 * notes: the assigned MILO and the scheme's active Lead MILOs.
 */

const DAY_MS = 86_400_000;

async function requestNamed(context: RequestContext, globalId: string): Promise<SupportRequest> {
  const id = idOf('SupportRequest', globalId, 'supportRequestId');
  const request = await context.loaders.use(supportRequestById).load(id);
  // Another organisation's request is invisible under row-level security: NOT_FOUND, not FORBIDDEN.
  if (!request) throw notFound('Support request');
  return request;
}

function requireClosed(request: SupportRequest, what: string): void {
  if (request.status !== 'CLOSED') {
    throw badUserInput(`${what} once the request is closed`, [{ field: 'supportRequestId', message: `The request is ${request.status}, not CLOSED` }]);
  }
}

const textOrNull = (text: string | null | undefined) => (text && /\S/.test(text) ? text : null);

/** The assigned MILO's feedback on a closed request: once per MILO. */
export async function giveCaseFeedback(
  context: RequestContext,
  input: GiveCaseFeedbackInput,
): Promise<{ feedback: Feedback; supportRequest: SupportRequest }> {
  const request = await requestNamed(context, input.supportRequestId);
  if (!(await isAssignedMilo(context, request))) throw forbidden('Only the MILO assigned to the request may give feedback on it');
  requireClosed(request, 'Feedback is given');
  const themeCodes = input.themeCodes ?? [];
  const trainingNeedCodes = input.trainingNeedCodes ?? [];
  const problems = (
    await Promise.all([
      problemsWithCodes(context, 'SUPPORT_THEME', themeCodes, 'themeCodes'),
      problemsWithCodes(context, 'TRAINING_NEED', trainingNeedCodes, 'trainingNeedCodes'),
    ])
  ).flat();
  if (problems.length) throw badUserInput('Some codes are not terms of your organisation', problems);

  const miloId = request.assignedMiloId as string;
  const repository = context.db.getRepository(Feedback);
  // Checked first for a clear message; the unique index feedback_one_per_milo is the last word.
  if (await repository.existsBy({ tenantId: context.tenantId, supportRequestId: request.id, source: 'MILO', miloId })) {
    throw conflict('You have already given feedback on this request');
  }
  const id = randomUUID();
  await repository.insert({
    tenantId: context.tenantId,
    id,
    supportRequestId: request.id,
    source: 'MILO',
    miloId,
    rating: input.rating,
    themeCodes,
    trainingNeedCodes,
    comment: textOrNull(input.comment),
  });
  await recordAudit(context, {
    action: 'CASE_FEEDBACK_GIVEN',
    entityType: 'Feedback',
    entityId: id,
    // Codes and the rating only: the comment is free text about a case.
    details: { supportRequestId: request.id, miloId, rating: input.rating, themeCodes, trainingNeedCodes },
  });
  context.loaders.use(feedbackBySupportRequestId).clear(request.id);
  const feedback = (await repository.findOneBy({ tenantId: context.tenantId, id })) as Feedback;
  return { feedback, supportRequest: request };
}

export interface FeedbackLink {
  token: string;
  path: string;
  expiresAt: Date;
  replacedEarlierLink: boolean;
  supportRequest: SupportRequest;
}

/**
 * A one-time link for the person supported, by the assigned MILO or a Lead of the scheme, on
 * a closed request. A request has one invitation: creating a link again while it is unused
 * (lost, or expired) replaces it, and the earlier token stops working; once the person has
 * answered, a new link is refused with CONFLICT, as they can answer only once.
 */
export async function createFeedbackLink(context: RequestContext, input: CreateFeedbackLinkInput): Promise<FeedbackLink> {
  const request = await requestNamed(context, input.supportRequestId);
  if (!(await isAssignedMilo(context, request)) && !(await isLeadOf(context, request.schemeId))) {
    throw forbidden("Only the request's MILO and the scheme's active Lead MILOs may send a feedback link");
  }
  requireClosed(request, 'A feedback link is sent');
  const days = input.expiresInDays ?? FEEDBACK_LINK_DAYS_DEFAULT;
  const expiresAt = new Date(context.now.getTime() + days * DAY_MS);
  const { token, tokenHash } = issueFeedbackToken(context.tenantId);
  // One statement, safe against a concurrent create: insert, or replace the unused invitation.
  // xmax is non-zero on a row this statement updated rather than inserted.
  const rows: Array<{ id: string; replaced: boolean }> = await context.db.query(
    `insert into feedback_invitation as invitation (tenant_id, support_request_id, token_hash, expires_at, created_by)
     values ($1, $2, $3, $4, $5)
     on conflict (tenant_id, support_request_id) do update
        set token_hash = excluded.token_hash, expires_at = excluded.expires_at, created_by = excluded.created_by, created_at = now()
      where invitation.used_at is null
     returning id, (xmax <> 0) as replaced`,
    [context.tenantId, request.id, tokenHash, expiresAt, context.viewer.personId],
  );
  if (rows.length === 0) throw conflict('The person supported has already answered the feedback link for this request');
  const [{ id, replaced }] = rows;
  await recordAudit(context, {
    action: replaced ? 'FEEDBACK_LINK_REPLACED' : 'FEEDBACK_LINK_CREATED',
    entityType: 'FeedbackInvitation',
    entityId: id,
    // Never the token: whoever reads the log must not be able to answer in the person's place.
    details: { supportRequestId: request.id, expiresAt: expiresAt.toISOString() },
  });
  return { token, path: feedbackPath(token), expiresAt, replacedEarlierLink: replaced, supportRequest: request };
}

/** SupportRequest.feedback: the assigned MILO and the scheme's active Lead MILOs. */
export async function feedbackOf(context: RequestContext, request: SupportRequest): Promise<Feedback[]> {
  if (!(await maySeeCaseNotes(context, request))) {
    throw forbidden("Only the request's MILO and the scheme's active Lead MILOs may read its feedback");
  }
  // The person supported answered anonymously: beside their own case their answer would name
  // them to the very MILO it is about. It counts in the (suppressed) demand figures only.
  const feedback = (await context.loaders.use(feedbackBySupportRequestId).load(request.id)).filter((row) => row.source === 'MILO');
  // Past the scheme's retention a comment is gone on read, before the sweep nulls it.
  if (!(await supportFreeTextExpired(context, request))) return feedback;
  return feedback.map((row) => Object.assign(Object.create(Object.getPrototypeOf(row)), row, { comment: null }));
}

/** node(id:) for Feedback: authorised like SupportRequest.feedback. */
export async function findFeedback(context: RequestContext, id: string): Promise<Feedback | null> {
  const feedback = await context.loaders.use(feedbackById).load(id);
  // The person supported's answers are not readable one by one (see feedbackOf).
  if (!feedback || feedback.source !== 'MILO') return null;
  const request = await context.loaders.use(supportRequestById).load(feedback.supportRequestId);
  if (!request || !(await maySeeCaseNotes(context, request))) {
    throw forbidden("Only the request's MILO and the scheme's active Lead MILOs may read its feedback");
  }
  return feedback;
}

/** The MILO who gave it, when the caller may see that membership; null for the person supported. */
export async function miloOf(context: RequestContext, feedback: Feedback): Promise<Milo | null> {
  if (!feedback.miloId) return null;
  const milo = await context.loaders.use(miloById).load(feedback.miloId);
  return milo && (await maySeeMilo(context, milo)) ? milo : null;
}
