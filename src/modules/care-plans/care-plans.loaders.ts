import DataLoader from 'dataloader';
import { In, IsNull } from 'typeorm';
import type { LoaderFactory, RequestContext } from '../../platform/context';
import { oneByKey, rowsByParent, visibleRowsById } from '../../platform/graphql/batch';
import { CarePlanInput } from './care-plan-input.entity';
import { CarePlanInternalNote } from './care-plan-internal-note.entity';
import { CarePlanSubject } from './care-plan-subject.entity';
import { CarePlanVersion } from './care-plan-version.entity';
import { CarePlan } from './care-plan.entity';
import { CareTeamMember } from './care-team-member.entity';

/*
 * Every related row of a plan loads through these, once per request and batch, so a page of
 * 50 plans with their teams and inputs costs the statements of a page of 10.
 *
 * The loaders partners use too (plans, team, inputs, subjects by plan) have NO tenant filter
 * on purpose: row-level security decides what each caller gets (the owner its own rows; a
 * partner the plans an agreement in force shows it, their team, their SHARED inputs, and the
 * subject only under field scope `subjectIdentity`). Plan ids are random UUIDs, so a key
 * never matches another tenant's row by accident. Owner-only rows (police-only notes,
 * versions) filter by the caller's tenant as well.
 */

/** Plans by id, as row-level security shows them to the caller. */
export const carePlanById = visibleRowsById(CarePlan);

/** Each plan's current care team (members not removed), in the order they joined. */
export const careTeamByPlanId = rowsByParent(CareTeamMember, 'carePlanId', {
  where: { removedAt: IsNull() },
  order: { addedAt: 'ASC', id: 'ASC' },
  acrossTenants: true,
});

/** Each plan's inputs, oldest first: every one for the owner, the SHARED ones for a partner (policy). */
export const inputsByPlanId = rowsByParent(CarePlanInput, 'carePlanId', {
  order: { createdAt: 'ASC', id: 'ASC' },
  acrossTenants: true,
});

/** Who each plan is about, as row-level security shows it (partners: field scope `subjectIdentity`). */
export const subjectByPlanId: LoaderFactory<string, CarePlanSubject | null> = (context) =>
  new DataLoader(async (planIds) => {
    const rows = await context.db.getRepository(CarePlanSubject).findBy({ carePlanId: In([...planIds]) });
    return oneByKey(planIds, rows, (row) => row.carePlanId);
  });

/** Inputs by id, as row-level security shows them. */
export const carePlanInputById = visibleRowsById(CarePlanInput);

/** Care team members by id (current and removed), as row-level security shows them. */
export const careTeamMemberById = visibleRowsById(CareTeamMember);

/** Each plan's police-only notes, oldest first (the owner's own rows only). */
export const internalNotesByPlanId = rowsByParent(CarePlanInternalNote, 'carePlanId', { order: { createdAt: 'ASC', id: 'ASC' } });

/** Each plan's version history, oldest first (the owner's own rows only). */
export const versionsByPlanId = rowsByParent(CarePlanVersion, 'carePlanId', { order: { version: 'ASC' } });

/** Forgets what this request cached about a plan that has just been written. */
export function forgetPlan(context: RequestContext, planId: string): void {
  context.loaders.use(carePlanById).clear(planId);
  context.loaders.use(careTeamByPlanId).clear(planId);
  context.loaders.use(inputsByPlanId).clear(planId);
  context.loaders.use(subjectByPlanId).clear(planId);
  context.loaders.use(internalNotesByPlanId).clear(planId);
  context.loaders.use(versionsByPlanId).clear(planId);
}
