import type { RequestContext } from '../../platform/context';
import { effectiveStatusOf, isActiveLeadMilo, milosByPersonId } from '../milos';
import type { Milo } from '../milos';
import type { SupportRequest } from './support-request.entity';

/*
 * Who sees what of a support request. Acting as a MILO or Lead comes from the caller's
 * membership and its status today (DESIGN.md 3), never from a token claim.
 *
 * - the colleague it is for, and the manager who referred them: the request and its status;
 * - the assigned MILO: everything, including who it is when the colleague asked anonymously;
 * - the scheme's ACTIVE Lead MILOs: everything but an anonymous colleague's identity;
 * - nobody else, scheme admins included: they configure the scheme, they do not read cases.
 */

/** The caller's memberships (any scheme, any status). */
export async function viewerMilos(context: RequestContext): Promise<Milo[]> {
  const personId = context.viewer.personId;
  return personId ? context.loaders.use(milosByPersonId).load(personId) : [];
}

/**
 * Whether the caller is the MILO the request is assigned to, and still ACTIVE today: a MILO who
 * is suspended, withdrawn or whose training lapsed stops acting on (and reading) their cases
 * the same day (DESIGN.md 3); their cases show in the Leads' caseloads for reassignment.
 */
export async function isAssignedMilo(context: RequestContext, request: SupportRequest): Promise<boolean> {
  if (!request.assignedMiloId) return false;
  const milo = (await viewerMilos(context)).find((candidate) => candidate.id === request.assignedMiloId);
  return milo !== undefined && (await effectiveStatusOf(context, milo)) === 'ACTIVE';
}

/** Whether the caller triages the scheme's requests today: an ACTIVE Lead MILO of it. */
export function isLeadOf(context: RequestContext, schemeId: string): Promise<boolean> {
  return isActiveLeadMilo(context, schemeId);
}

/** The caller's own membership of a scheme when it is ACTIVE today, else null. */
export async function activeMembershipIn(context: RequestContext, schemeId: string): Promise<Milo | null> {
  for (const milo of await viewerMilos(context)) {
    if (milo.schemeId === schemeId && (await effectiveStatusOf(context, milo)) === 'ACTIVE') return milo;
  }
  return null;
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
