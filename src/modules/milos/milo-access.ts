import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { RequestContext, LoaderFactory } from '../../platform/context';
import { manyByKey } from '../../platform/graphql/batch';
import { eligibilityOf } from '../training/training-eligibility.service';
import { effectiveStatus, type MiloStatus } from './milo-lifecycle';
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

/** The status as of today: an ACTIVE MILO whose training no longer meets the role's requirements is LAPSED. */
export async function effectiveStatusOf(context: RequestContext, milo: Milo): Promise<MiloStatus> {
  if (milo.status !== 'ACTIVE') return milo.status;
  const eligibility = await eligibilityOf(context, { personId: milo.personId, schemeId: milo.schemeId, role: milo.roleCode });
  return effectiveStatus(milo.status, eligibility.eligible);
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
