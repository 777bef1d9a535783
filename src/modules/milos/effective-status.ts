import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { RequestContext, LoaderFactory } from '../../platform/context';
import { manyByKey } from '../../platform/graphql/batch';
import type { IsoDate } from '../../platform/calendar';
import { eligibilityOf } from '../training';
import { effectiveStatus, lapseDayOf, type MiloStatus } from './milo-lifecycle';
import { Milo } from './milo.entity';

/*
 * A membership's status as of today: the stored status, read against the training it needs.
 * The arrow points one way: memberships follow training's eligibility, and training never asks
 * about memberships directly (docs/architecture.md, "Modules").
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
  const asOf = context.today;
  const eligibility = await eligibilityOf(context, subject, asOf);
  const lapsedOn = await lapseDayOf(milo.statusSince, asOf, (date) => eligibilityOf(context, subject, date));
  const status = effectiveStatus(milo.status, eligibility.eligible, lapsedOn !== null);
  return { status, lapsedOn: status === 'LAPSED' ? lapsedOn : null };
}

/** The status as of today (see effectiveStatusWithLapse). */
export async function effectiveStatusOf(context: RequestContext, milo: Milo): Promise<MiloStatus> {
  return (await effectiveStatusWithLapse(context, milo)).status;
}
