import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { badUserInput, conflict, forbidden, notFound } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { paginate, paginateSorted } from '../../platform/graphql/paginate';
import type { ConnectionArgs, ConnectionResult } from '../../platform/graphql/relay';
import { callerMemberships, type Milo, miloById } from '../milos';
import { type Person, personById } from '../people';
import { schemeById } from '../schemes';
import { problemsWithCodes } from '../taxonomies';
import { AdviceRequest, type AdviceRequestStatus } from './advice-request.entity';
import type { AnswerAdviceRequestInput, AskForAdviceInput } from './advice.types';
import { adviceFreeTextExpired } from './retention';
import { isLeadOf } from './support.policy';
import { adviceRequestById } from './support.loaders';
import { schemeTakingRequests, visibleMilo } from './support-requests.service';
import { newestFirstKey, newestFirstKeySql, queueKey, queueKeySql } from './triage';

/*
 * Advice requests: an officer asks about a member of the public they are dealing with; any
 * ACTIVE MILO or Lead of the scheme may answer. Who sees what:
 * - the officer who asked: the request, the description, the answer and who answered;
 * - the scheme's ACTIVE MILOs and Leads: the request and description (to answer it);
 * - the answer: the officer, the MILO who answered and the scheme's Leads.
 */

/** Whether the caller answered it (as any of their memberships). */
async function answeredByViewer(context: RequestContext, advice: AdviceRequest): Promise<boolean> {
  return advice.answeredByMiloId !== null && callerMemberships(context).isOwn(advice.answeredByMiloId);
}

export async function maySeeAdvice(context: RequestContext, advice: AdviceRequest): Promise<boolean> {
  if (advice.requestedBy === context.viewer.personId) return true;
  if (await answeredByViewer(context, advice)) return true;
  return callerMemberships(context).isActive(advice.schemeId);
}

export async function askForAdvice(context: RequestContext, input: AskForAdviceInput): Promise<AdviceRequest> {
  const me = context.requirePersonId('Asking for advice');
  const scheme = await schemeTakingRequests(context, input.schemeId);
  const id = randomUUID();
  await context.db.getRepository(AdviceRequest).insert({
    tenantId: context.tenantId,
    id,
    schemeId: scheme.id,
    requestedBy: me,
    incidentReference: input.incidentReference,
    // Stored exactly as given: SQL or HTML in it is data.
    description: input.description,
    urgency: input.urgency,
    area: input.area?.trim() || null,
    themeCodes: [],
    status: 'WAITING',
  });
  return (await context.loaders.use(adviceRequestById).load(id)) as AdviceRequest;
}

/** node(id:): null when not in the organisation, FORBIDDEN when not the caller's to see. */
export async function findAdviceRequest(context: RequestContext, id: string): Promise<AdviceRequest | null> {
  const advice = await context.loaders.use(adviceRequestById).load(id);
  if (!advice) return null;
  if (!(await maySeeAdvice(context, advice))) {
    throw forbidden("Only the officer who asked and the scheme's active MILOs and Lead MILOs may see an advice request");
  }
  return advice;
}

export function adviceRequestByGlobalId(context: RequestContext, globalId: string): Promise<AdviceRequest | null> {
  return findAdviceRequest(context, idOf('AdviceRequest', globalId));
}

/** The caller's own advice requests, newest first. */
export async function myAdviceRequests(context: RequestContext, args: ConnectionArgs): Promise<ConnectionResult<AdviceRequest>> {
  const me = context.viewer.personId;
  if (!me) return paginateSorted([], args, (row: AdviceRequest) => row.id);
  const query = context.db
    .getRepository(AdviceRequest)
    .createQueryBuilder('advice')
    .where('advice.tenant_id = :tenant and advice.requested_by = :me', { tenant: context.tenantId, me });
  return paginate(query, args, { column: newestFirstKeySql('advice.created_at'), value: (row) => newestFirstKey(row.createdAt) });
}

/**
 * The scheme's advice requests for its ACTIVE MILOs and Leads: WAITING ones most urgent first,
 * then oldest; ANSWERED ones most recently answered first.
 */
export async function adviceQueue(
  context: RequestContext,
  schemeGlobalId: string,
  status: AdviceRequestStatus,
  args: ConnectionArgs,
): Promise<ConnectionResult<AdviceRequest>> {
  const schemeId = idOf('Scheme', schemeGlobalId, 'schemeId');
  if (!(await context.loaders.use(schemeById).load(schemeId))) throw notFound('Scheme');
  if (!(await callerMemberships(context).activeIn(schemeId))) throw forbidden("Only the scheme's active MILOs and Lead MILOs see its advice requests");
  const query = context.db
    .getRepository(AdviceRequest)
    .createQueryBuilder('advice')
    .where('advice.tenant_id = :tenant and advice.scheme_id = :scheme and advice.status = :status', { tenant: context.tenantId, scheme: schemeId, status });
  if (status === 'WAITING') {
    return paginate(query, args, { column: queueKeySql('advice'), value: (row) => queueKey(row.urgency, row.createdAt) });
  }
  return paginate(query, args, { column: newestFirstKeySql('advice.answered_at'), value: (row) => newestFirstKey(row.answeredAt as Date) });
}

/** An ACTIVE MILO or Lead of the scheme answers; the row is locked so two answers cannot both land. */
export async function answerAdviceRequest(context: RequestContext, input: AnswerAdviceRequestInput): Promise<AdviceRequest> {
  const id = idOf('AdviceRequest', input.requestId, 'requestId');
  const repository = context.db.getRepository(AdviceRequest);
  const advice = await repository.findOne({ where: { tenantId: context.tenantId, id }, lock: { mode: 'pessimistic_write' } });
  if (!advice) throw notFound('Advice request');
  const membership = await callerMemberships(context).activeIn(advice.schemeId);
  if (!membership) throw forbidden("Only the scheme's active MILOs and Lead MILOs answer its advice requests");
  if (advice.status === 'ANSWERED') throw conflict('The advice request has already been answered');
  const problems = await problemsWithCodes(context, 'SUPPORT_THEME', input.themeCodes, 'themeCodes');
  if (problems.length) throw badUserInput('The answer is not valid', problems);
  await context.db.query(
    `update advice_request
        set status = 'ANSWERED', answer = $3, answered_by_milo_id = $4, answered_at = $5, minutes = $6, theme_codes = $7, updated_at = now()
      where tenant_id = $1 and id = $2`,
    [context.tenantId, advice.id, input.answer, membership.id, context.now, input.minutes, input.themeCodes],
  );
  await recordAudit(context, {
    action: 'ADVICE_REQUEST_ANSWERED',
    entityType: 'AdviceRequest',
    entityId: advice.id,
    details: { miloId: membership.id, minutes: input.minutes, themeCodes: input.themeCodes },
  });
  context.loaders.use(adviceRequestById).clear(advice.id);
  return (await context.loaders.use(adviceRequestById).load(advice.id)) as AdviceRequest;
}

// ---------------------------------------------------------------------------------------------
// Fields

export async function descriptionOf(context: RequestContext, advice: AdviceRequest): Promise<string | null> {
  if (advice.description === null) return null;
  return (await adviceFreeTextExpired(context, advice)) ? null : advice.description;
}

/** The answer: to the officer who asked, the MILO who answered and the scheme's Leads. */
export async function answerOf(context: RequestContext, advice: AdviceRequest): Promise<string | null> {
  if (advice.answer === null) return null;
  const allowed = advice.requestedBy === context.viewer.personId || (await answeredByViewer(context, advice)) || (await isLeadOf(context, advice.schemeId));
  if (!allowed) return null;
  return (await adviceFreeTextExpired(context, advice)) ? null : advice.answer;
}

/** The answering membership, to those who may see memberships (the scheme's overseers and the MILO). */
export function answeredByOf(context: RequestContext, advice: AdviceRequest): Promise<Milo | null> {
  return visibleMilo(context, advice.answeredByMiloId);
}

/** The person who answered, so the officer knows whom to thank or call back. */
export async function answeredByPersonOf(context: RequestContext, advice: AdviceRequest): Promise<Person | null> {
  if (!advice.answeredByMiloId) return null;
  const milo = await context.loaders.use(miloById).load(advice.answeredByMiloId);
  return milo ? context.loaders.use(personById).load(milo.personId) : null;
}

export function requestedByOf(context: RequestContext, advice: AdviceRequest): Promise<Person | null> {
  return context.loaders.use(personById).load(advice.requestedBy);
}
