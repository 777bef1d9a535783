import type { RequestContext } from '../../platform/context';
import { effectiveStatusOf, milosByPersonId } from './effective-status';
import type { MiloStatus } from './milo-lifecycle';
import type { Milo } from './milo.entity';

/*
 * The one check of "is the caller acting as a MILO or Lead MILO today". Acting in a case role is
 * a fact the platform owns (docs/architecture.md, "Authorization"): it comes from the caller's
 * memberships and their effective status today, never from a token's claims. Every module's
 * access policy asks this object rather than walking the memberships itself.
 */

/** The caller's memberships and their status today, asked for by any module's policy. */
export interface CallerMemberships {
  /** Every membership the caller holds, in any scheme of the organisation and any status. */
  all(): Promise<Milo[]>;
  /** The caller's membership of the scheme (of any, without one) when it is ACTIVE today, else null. */
  activeIn(schemeId?: string): Promise<Milo | null>;
  /** Whether the caller is an ACTIVE MILO or Lead MILO today (of the scheme, or of any). */
  isActive(schemeId?: string): Promise<boolean>;
  /** Whether the caller is an ACTIVE Lead MILO today (of the scheme, or of any). */
  isActiveLead(schemeId?: string): Promise<boolean>;
  /** Whether the membership is the caller's own and ACTIVE today (e.g. the MILO a case is assigned to). */
  isOwnActive(miloId: string): Promise<boolean>;
  /** Whether the membership is the caller's own, in any status (what they did before a suspension stays theirs). */
  isOwn(miloId: string): Promise<boolean>;
  /** The schemes in which the caller is an ACTIVE Lead MILO today. */
  schemesLed(): Promise<Set<string>>;
}

const perRequest = new WeakMap<RequestContext, CallerMemberships>();

/**
 * The caller's memberships for this request. The list comes through the request's loader, so a
 * write that clears it (a status change) is seen at once; each membership's status is worked
 * out once per loaded row, and only when asked, so a check that stops at the first ACTIVE Lead
 * costs no more SQL than it needs.
 */
export function callerMemberships(context: RequestContext): CallerMemberships {
  let memberships = perRequest.get(context);
  if (!memberships) {
    memberships = membershipsOfCaller(context);
    perRequest.set(context, memberships);
  }
  return memberships;
}

function membershipsOfCaller(context: RequestContext): CallerMemberships {
  const statuses = new WeakMap<Milo, Promise<MiloStatus>>();
  const statusOf = (milo: Milo): Promise<MiloStatus> => {
    let status = statuses.get(milo);
    if (!status) {
      status = effectiveStatusOf(context, milo);
      statuses.set(milo, status);
    }
    return status;
  };
  const all = async (): Promise<Milo[]> => {
    const personId = context.viewer.personId;
    return personId ? context.loaders.use(milosByPersonId).load(personId) : [];
  };
  /** The first of the caller's memberships that matches and is ACTIVE today, asked one by one. */
  const firstActive = async (matches: (milo: Milo) => boolean): Promise<Milo | null> => {
    for (const milo of await all()) {
      if (matches(milo) && (await statusOf(milo)) === 'ACTIVE') return milo;
    }
    return null;
  };
  const inScheme = (schemeId: string | undefined) => (milo: Milo) => !schemeId || milo.schemeId === schemeId;
  const isLead = (milo: Milo) => milo.roleCode === 'LEAD_MILO';

  return {
    all,
    activeIn: (schemeId) => firstActive(inScheme(schemeId)),
    isActive: async (schemeId) => (await firstActive(inScheme(schemeId))) !== null,
    isActiveLead: async (schemeId) => (await firstActive((milo) => isLead(milo) && inScheme(schemeId)(milo))) !== null,
    isOwnActive: async (miloId) => (await firstActive((milo) => milo.id === miloId)) !== null,
    isOwn: async (miloId) => (await all()).some((milo) => milo.id === miloId),
    schemesLed: async () => {
      const led = new Set<string>();
      for (const milo of await all()) {
        if (isLead(milo) && (await statusOf(milo)) === 'ACTIVE') led.add(milo.schemeId);
      }
      return led;
    },
  };
}
