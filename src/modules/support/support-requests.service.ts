import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../platform/context';
import { badUserInput, forbidden, notFound } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { paginate, paginateSorted } from '../../platform/graphql/paginate';
import type { ConnectionArgs, ConnectionResult } from '../../platform/graphql/relay';
import { maySeeMilo, miloById, type Milo } from '../milos';
import { Person, personById } from '../people';
import { Scheme, schemeById } from '../schemes';
import { crisisServicesFor, type SignpostingService } from '../signposting';
import { supportFreeTextExpired } from './retention';
import { isRequesterOrReferrer, maySeeCaseNotes, maySeeRequest, maySeeRequester } from './support.policy';
import { assignmentsByRequestId, supportRequestById } from './support.loaders';
import { SupportRequest } from './support-request.entity';
import type { SupportAssignment } from './support-assignment.entity';
import type { AskForSupportInput } from './support.types';
import { newestFirstKey, newestFirstKeySql, waitedBeyondTarget, wholeHoursBetween } from './triage';

/*
 * Asking for support and reading a request. Who sees which part of a request is decided in
 * support.policy.ts; this file applies it field by field, and hides free text past the
 * scheme's retention period (retention.ts) even before the sweep has removed it.
 */

/**
 * What the platform says, always, to a request that reports immediate risk. Fixed text, not
 * configuration: no scheme may word it away.
 */
export const CRISIS_NOTICE =
  'This platform is not an emergency service and nobody watches it around the clock. ' +
  "If anyone's life is at risk now, call 999. For urgent mental-health help, call NHS 111 and choose option 2, " +
  'or use one of the crisis services listed here. A MILO will contact you as soon as they can, but not straight away.';

export interface CrisisSignposting {
  notice: string;
  guidance: string | null;
  services: SignpostingService[];
}


/** A scheme of the caller's organisation that takes requests now (ACTIVE); another organisation's reads as NOT_FOUND. */
export async function schemeTakingRequests(context: RequestContext, schemeGlobalId: string): Promise<Scheme> {
  const schemeId = idOf('Scheme', schemeGlobalId, 'schemeId');
  const scheme = await context.db.getRepository(Scheme).findOneBy({ tenantId: context.tenantId, id: schemeId });
  if (!scheme) throw notFound('Scheme');
  if (scheme.status !== 'ACTIVE') {
    throw badUserInput('The scheme is not taking requests', [{ field: 'schemeId', message: `The scheme is ${scheme.status}` }]);
  }
  return scheme;
}

/** The crisis signposting for a scheme: the fixed notice, its guidance, crisis services own and shared (audited). */
export async function crisisSignpostingFor(context: RequestContext, scheme: Scheme): Promise<CrisisSignposting> {
  return { notice: CRISIS_NOTICE, guidance: scheme.crisisGuidance, services: await crisisServicesFor(context) };
}

/**
 * A request for oneself, or for a colleague the caller manages (the caller is then its
 * referrer). Not audited: the audit log names its actor, and an anonymous request must not
 * name the colleague to its readers. What Leads do with it is audited from assignment on.
 */
export async function askForSupport(
  context: RequestContext,
  input: AskForSupportInput,
): Promise<{ supportRequest: SupportRequest; crisisSignposting: CrisisSignposting | null }> {
  const me = context.requirePersonId('Asking for support');
  const scheme = await schemeTakingRequests(context, input.schemeId);
  let requesterPersonId = me;
  let referredByPersonId: string | null = null;
  if (input.forPersonId) {
    const personId = idOf('Person', input.forPersonId, 'forPersonId');
    if (personId !== me) {
      const colleague = await context.db.getRepository(Person).findOneBy({ tenantId: context.tenantId, id: personId });
      if (!colleague) throw notFound('Person');
      if (colleague.status !== 'ACTIVE') {
        throw badUserInput('Only an active member of the organisation can be referred', [{ field: 'forPersonId', message: 'The person is inactive' }]);
      }
      requesterPersonId = personId;
      referredByPersonId = me;
    }
  }
  const id = randomUUID();
  await context.db.getRepository(SupportRequest).insert({
    tenantId: context.tenantId,
    id,
    schemeId: scheme.id,
    requesterPersonId,
    referredByPersonId,
    anonymous: input.anonymous,
    urgency: input.urgency,
    immediateRisk: input.immediateRisk,
    preferredArea: input.preferredArea?.trim() || null,
    // Stored as given (SQL or HTML in it is data); an empty summary is no summary.
    summary: input.summary?.trim() ? input.summary : null,
    status: 'WAITING',
  });
  const supportRequest = (await context.loaders.use(supportRequestById).load(id)) as SupportRequest;
  const crisisSignposting = input.immediateRisk ? await crisisSignpostingFor(context, scheme) : null;
  return { supportRequest, crisisSignposting };
}

/** supportRequest(id:) and node(id:): null when not in the organisation, FORBIDDEN when not the caller's to see. */
export async function findSupportRequest(context: RequestContext, id: string): Promise<SupportRequest | null> {
  const request = await context.loaders.use(supportRequestById).load(id);
  if (!request) return null;
  if (!(await maySeeRequest(context, request))) {
    throw forbidden('Only the colleague, their referrer, the assigned MILO and the scheme’s active Lead MILOs may see a support request');
  }
  return request;
}

export function supportRequestByGlobalId(context: RequestContext, globalId: string): Promise<SupportRequest | null> {
  return findSupportRequest(context, idOf('SupportRequest', globalId));
}

/** The caller's own requests and those they referred, newest first. */
export async function mySupportRequests(context: RequestContext, args: ConnectionArgs): Promise<ConnectionResult<SupportRequest>> {
  const me = context.viewer.personId;
  if (!me) return paginateSorted([], args, (row: SupportRequest) => row.id);
  const query = context.db
    .getRepository(SupportRequest)
    .createQueryBuilder('request')
    .where('request.tenant_id = :tenant', { tenant: context.tenantId })
    .andWhere('(request.requester_person_id = :me or request.referred_by_person_id = :me)', { me });
  return paginate(query, args, { column: newestFirstKeySql('request.created_at'), value: (row) => newestFirstKey(row.createdAt) });
}

// ---------------------------------------------------------------------------------------------
// Fields

/** The colleague: null to Lead MILOs when they asked anonymously (and to anyone else not allowed). */
export async function requesterOf(context: RequestContext, request: SupportRequest): Promise<Person | null> {
  if (!(await maySeeRequester(context, request))) return null;
  return context.loaders.use(personById).load(request.requesterPersonId);
}

/** The referring manager, to those who may see the colleague (the two together could name them). */
export async function referrerOf(context: RequestContext, request: SupportRequest): Promise<Person | null> {
  if (!request.referredByPersonId || !(await maySeeRequester(context, request))) return null;
  return context.loaders.use(personById).load(request.referredByPersonId);
}

/** The summary: for the colleague and referrer, the assigned MILO and Leads; gone once past retention. */
export async function summaryOf(context: RequestContext, request: SupportRequest): Promise<string | null> {
  if (request.summary === null) return null;
  if (!isRequesterOrReferrer(context, request) && !(await maySeeCaseNotes(context, request))) return null;
  return (await supportFreeTextExpired(context, request)) ? null : request.summary;
}

/** A membership, when the caller may see memberships of that kind (overseers and the MILO themself). */
export async function visibleMilo(context: RequestContext, miloId: string | null): Promise<Milo | null> {
  if (!miloId) return null;
  const milo = await context.loaders.use(miloById).load(miloId);
  return milo && (await maySeeMilo(context, milo)) ? milo : null;
}

/** The MILO who has the request: to the scheme's Leads and that MILO. */
export async function assignedMiloOf(context: RequestContext, request: SupportRequest): Promise<Milo | null> {
  if (!request.assignedMiloId || !(await maySeeCaseNotes(context, request))) return null;
  return visibleMilo(context, request.assignedMiloId);
}

/** The assignment history: to the scheme's Leads and the assigned MILO. */
export async function assignmentsOf(context: RequestContext, request: SupportRequest): Promise<SupportAssignment[]> {
  if (!(await maySeeCaseNotes(context, request))) throw forbidden('Only the assigned MILO and the scheme’s active Lead MILOs may see who handled a request');
  return context.loaders.use(assignmentsByRequestId).load(request.id);
}

/**
 * Whole hours the request waited for a MILO: until its first assignment (or its closing, if
 * closed unassigned), or until now while it is WAITING. A request never goes back to WAITING.
 */
export async function waitingHoursOf(context: RequestContext, request: SupportRequest): Promise<number> {
  if (request.status === 'WAITING') return wholeHoursBetween(request.createdAt, context.now);
  const [first] = await context.loaders.use(assignmentsByRequestId).load(request.id);
  return wholeHoursBetween(request.createdAt, first?.assignedAt ?? request.closedAt ?? context.now);
}

/** WAITING now, for longer than the scheme's target. */
export async function waitingBeyondTargetOf(context: RequestContext, request: SupportRequest): Promise<boolean> {
  if (request.status !== 'WAITING') return false;
  const scheme = await context.loaders.use(schemeById).load(request.schemeId);
  return scheme !== null && waitedBeyondTarget(request.createdAt, context.now, scheme.supportTargetHours);
}
