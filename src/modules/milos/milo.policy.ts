import type { RequestContext } from '../../platform/context';
import { callerMemberships } from './caller-memberships';
import type { Milo } from './milo.entity';

/*
 * The milos module's access policy: who oversees a scheme's MILOs and who sees a membership.
 * Acting as a Lead MILO comes from the caller's memberships today (callerMemberships), never
 * from a token's claims (docs/architecture.md, "Authorization").
 */

/**
 * Whether the caller oversees a scheme's MILOs: its organisation's scheme admins and the
 * scheme's ACTIVE Lead MILOs. A Lead who is suspended or whose training lapsed loses the view
 * the same day.
 */
export async function mayOverseeScheme(context: RequestContext, schemeId: string): Promise<boolean> {
  return context.hasRole('SCHEME_ADMIN') || callerMemberships(context).isActiveLead(schemeId);
}

/** Whether the caller may ever oversee MILOs: scheme admins and ACTIVE Lead MILOs of some scheme. */
export async function mayOverseeSomeScheme(context: RequestContext): Promise<boolean> {
  return context.hasRole('SCHEME_ADMIN') || callerMemberships(context).isActiveLead();
}

/** A membership is visible to those who oversee its scheme and to the MILO themself. */
export async function maySeeMilo(context: RequestContext, milo: Milo): Promise<boolean> {
  if (context.viewer.personId === milo.personId) return true;
  return mayOverseeScheme(context, milo.schemeId);
}
