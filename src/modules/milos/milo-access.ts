import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { RequestContext, LoaderFactory } from '../../platform/context';
import { manyByKey } from '../../platform/graphql/batch';
import type { IsoDate } from '../../platform/calendar';
import { eligibilityOf, today } from '../training/training-eligibility.service';
import { effectiveStatus, lapseDayOf, type MiloStatus } from './milo-lifecycle';
import { Milo } from './milo.entity';

/*
 * Acting as a MILO or Lead MILO is a fact the platform owns (DESIGN.md 3): it comes from the
 * person's membership and its effective status today, never from a token's claims.
 */

export const milosByPersonId: LoaderFactory<string, Milo[]> = (context) =>
  new DataLoader(async (personIds) => {
    const rows = await context.db.getRepository(Milo).findBy({ tenantId: context.tenantId, personId: In([...personIds]) });
    return manyByKey(personIds, rows, (row) => row.personId);
  });

export interface EffectiveStatus {
  status: MiloStatus;
  /** For a stored ACTIVE that reads as LAPSED: the day the training ran out, when it can be told. */
  lapsedOn: IsoDate | null;
}

/**
 * The status as of today. An ACTIVE MILO is LAPSED when the role's requirements are unmet
 * today, and also when they ran out on any day since the MILO was made ACTIVE: a lapse
 * sticks until someone reactivates the MILO, even once the training is refreshed, so that
 * the move back to ACTIVE is recorded with who and why. Every eligibility here comes from
 * the same per-request loaders, so dating the lapse costs no SQL beyond the first answer.
 */
export async function effectiveStatusWithLapse(context: RequestContext, milo: Milo): Promise<EffectiveStatus> {
  if (milo.status !== 'ACTIVE') return { status: milo.status, lapsedOn: null };
  const subject = { personId: milo.personId, schemeId: milo.schemeId, role: milo.roleCode };
  const asOf = today(context);
  const eligibility = await eligibilityOf(context, subject, asOf);
  const lapsedOn = await lapseDayOf(milo.statusSince, asOf, (date) => eligibilityOf(context, subject, date));
  const status = effectiveStatus(milo.status, eligibility.eligible, lapsedOn !== null);
  return { status, lapsedOn: status === 'LAPSED' ? lapsedOn : null };
}

/** The status as of today (see effectiveStatusWithLapse). */
export async function effectiveStatusOf(context: RequestContext, milo: Milo): Promise<MiloStatus> {
  return (await effectiveStatusWithLapse(context, milo)).status;
}

/** The caller's memberships (any scheme of the organisation, any status). */
export async function viewerMemberships(context: RequestContext): Promise<Milo[]> {
  const personId = context.viewer.personId;
  return personId ? context.loaders.use(milosByPersonId).load(personId) : [];
}

/** Whether the caller is an ACTIVE Lead MILO today (of the given scheme, or of any). */
export async function isActiveLeadMilo(context: RequestContext, schemeId?: string): Promise<boolean> {
  for (const milo of await viewerMemberships(context)) {
    if (milo.roleCode !== 'LEAD_MILO' || (schemeId && milo.schemeId !== schemeId)) continue;
    if ((await effectiveStatusOf(context, milo)) === 'ACTIVE') return true;
  }
  return false;
}

/** Training and eligibility of a person: their own, and for scheme admins and active Lead MILOs. */
export async function maySeeTrainingOf(context: RequestContext, personId: string): Promise<boolean> {
  if (context.viewer.personId === personId || context.hasRole('SCHEME_ADMIN')) return true;
  return isActiveLeadMilo(context);
}

/** The schemes in which the caller is an ACTIVE Lead MILO today. */
export async function schemesLedByViewer(context: RequestContext): Promise<Set<string>> {
  const schemes = new Set<string>();
  for (const milo of await viewerMemberships(context)) {
    if (milo.roleCode === 'LEAD_MILO' && (await effectiveStatusOf(context, milo)) === 'ACTIVE') schemes.add(milo.schemeId);
  }
  return schemes;
}

/**
 * Whether the caller oversees a scheme's MILOs: its organisation's scheme admins and the
 * scheme's ACTIVE Lead MILOs. A Lead who is suspended or whose training lapsed loses the view
 * the same day.
 */
export async function mayOverseeScheme(context: RequestContext, schemeId: string): Promise<boolean> {
  return context.hasRole('SCHEME_ADMIN') || isActiveLeadMilo(context, schemeId);
}

/** A membership is visible to those who oversee its scheme and to the MILO themself. */
export async function maySeeMilo(context: RequestContext, milo: Milo): Promise<boolean> {
  if (context.viewer.personId === milo.personId) return true;
  return mayOverseeScheme(context, milo.schemeId);
}
