import type { RequestContext } from '../../platform/context';
import { callerMemberships } from '../milos';
import type { SupportRequest } from './support-request.entity';

/*
 * The support module's access policy: who sees what of a support request. Acting as a MILO or
 * Lead comes from the caller's memberships and their status today (callerMemberships), never
 * from a token claim (docs/architecture.md, "Authorization").
 *
 * - the colleague it is for, and the manager who referred them: the request and its status;
 * - the assigned MILO: everything, including who it is when the colleague asked anonymously;
 * - the scheme's ACTIVE Lead MILOs: everything but an anonymous colleague's identity;
 * - nobody else, scheme admins included: they configure the scheme, they do not read cases.
 */

/**
 * Whether the caller is the MILO the request is assigned to, and still ACTIVE today: a MILO who
 * is suspended, withdrawn or whose training lapsed stops acting on (and reading) their cases
 * the same day; their cases show in the Leads' caseloads for reassignment.
 */
export async function isAssignedMilo(context: RequestContext, request: SupportRequest): Promise<boolean> {
  return request.assignedMiloId !== null && callerMemberships(context).isOwnActive(request.assignedMiloId);
}

/** Whether the caller triages the scheme's requests today: an ACTIVE Lead MILO of it. */
export function isLeadOf(context: RequestContext, schemeId: string): Promise<boolean> {
  return callerMemberships(context).isActiveLead(schemeId);
}

export function isRequesterOrReferrer(context: RequestContext, request: SupportRequest): boolean {
  const me = context.viewer.personId;
  return me !== null && (request.requesterPersonId === me || request.referredByPersonId === me);
}

export async function maySeeRequest(context: RequestContext, request: SupportRequest): Promise<boolean> {
  if (isRequesterOrReferrer(context, request)) return true;
  return (await isAssignedMilo(context, request)) || isLeadOf(context, request.schemeId);
}

/** Free text on the case (contact notes): the assigned MILO and the scheme's Leads only. */
export async function maySeeCaseNotes(context: RequestContext, request: SupportRequest): Promise<boolean> {
  return (await isAssignedMilo(context, request)) || isLeadOf(context, request.schemeId);
}

/** Who the colleague is: themself, the referrer, the assigned MILO; Leads too unless anonymous. */
export async function maySeeRequester(context: RequestContext, request: SupportRequest): Promise<boolean> {
  if (isRequesterOrReferrer(context, request) || (await isAssignedMilo(context, request))) return true;
  return !request.anonymous && isLeadOf(context, request.schemeId);
}
