import { recordKeptAudit } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { forbidden } from '../../platform/errors';
import { miloById, type Milo } from '../milos';
import {
  auditFieldOutsideScope,
  auditPartnerPlanReads,
  auditPartnerRefusal,
  fieldVisible,
  isOwnerCarePlanReader,
  isRefusal,
  OWNER_READERS_ONLY,
  partnerInputGrant,
  partnerPurpose,
  planAccess,
  refusePartnerInput,
  refusePartnerPlan,
  type CarePlanAccess,
} from './care-plan.policy';
import type { CarePlanInput } from './care-plan-input.entity';
import { CarePlanInternalNote } from './care-plan-internal-note.entity';
import { isReviewOverdue } from './care-plan-transitions';
import type { CarePlanSubject } from './care-plan-subject.entity';
import type { CarePlanVersion } from './care-plan-version.entity';
import type { CarePlan, CarePlanSection, ConsentStatus } from './care-plan.entity';
import type { CareTeamMember } from './care-team-member.entity';
import {
  carePlanById,
  carePlanInputById,
  careTeamByPlanId,
  careTeamMemberById,
  inputsByPlanId,
  internalNotesByPlanId,
  subjectByPlanId,
  versionsByPlanId,
} from './care-plans.loaders';

/*
 * Reading a plan, field by field, for the owner and for partners alike. A plan reaches a
 * resolver only from the database under the caller's own policies (its organisation's plans,
 * or a partner's shared ones); what the caller then sees of it is decided once per plan and
 * request (planAccess): the owner's MILOs, Leads and auditors see everything; a partner sees
 * the fields its agreement's scope names, the team, the SHARED inputs when the owner also
 * grants CARE_PLAN_INPUT READ, never the police-only notes or the history. Anyone else (a
 * scheme admin, staff without an ACTIVE membership) sees the plain fields and nulls.
 *
 * A partner's read of a plan is logged in the owner's log the first time any of its
 * governed fields is resolved, batched: a page of 50 plans is one audit insert.
 */

/** The caller's access when it has any, else null. */
async function readerAccess(context: RequestContext, plan: CarePlan): Promise<CarePlanAccess | null> {
  const access = await planAccess(context, plan);
  return isRefusal(access) ? null : access;
}

/**
 * Whether the caller reads the plan as its owner. A partner asking for an owner-only field
 * (police-only notes, history, the lead MILO) gets null, and the attempt is a DENIED event in
 * the owner's log, like a field outside its scope.
 */
async function ownerAccess(context: RequestContext, plan: CarePlan, field: string): Promise<boolean> {
  const access = await readerAccess(context, plan);
  if (access?.kind === 'PARTNER') await auditFieldOutsideScope(context, plan, field, access);
  return access?.kind === 'OWNER';
}

/**
 * A field governed by an agreement's field scope: its value for the owner, for a partner only
 * when the scope names it (otherwise null, and the refusal audited in the owner's log).
 */
async function governedField<T>(context: RequestContext, plan: CarePlan, field: string, value: () => T): Promise<T | null> {
  const access = await readerAccess(context, plan);
  if (!access) return null;
  if (fieldVisible(access, field)) return value();
  await auditFieldOutsideScope(context, plan, field, access);
  return null;
}

export function sectionOf(context: RequestContext, plan: CarePlan, section: CarePlanSection): Promise<string | null> {
  return governedField(context, plan, section, () => plan[section]);
}

export function reviewDueOnOf(context: RequestContext, plan: CarePlan): Promise<string | null> {
  return governedField(context, plan, 'reviewDueOn', () => plan.reviewDueOn);
}

export function reviewOverdueOf(context: RequestContext, plan: CarePlan): Promise<boolean | null> {
  return governedField(context, plan, 'reviewDueOn', () => isReviewOverdue(plan, context.today));
}

export interface ConsentView {
  status: ConsentStatus;
  scope: string | null;
  recordedOn: string | null;
}

export function consentOf(context: RequestContext, plan: CarePlan): Promise<ConsentView | null> {
  return governedField(context, plan, 'consent', () => ({ status: plan.consentStatus, scope: plan.consentScope, recordedOn: plan.consentRecordedOn }));
}

/** The lawful basis: the ground any reader of the plan holds it on, so every reader sees it. */
export async function lawfulBasisOf(context: RequestContext, plan: CarePlan): Promise<string | null> {
  return (await readerAccess(context, plan)) ? plan.lawfulBasis : null;
}

/** Owner-only plain values (the lead MILO, retention, closure reason). */
export async function ownerOnly<T>(context: RequestContext, plan: CarePlan, field: string, value: () => T): Promise<T | null> {
  return (await ownerAccess(context, plan, field)) ? value() : null;
}

export async function leadMiloOf(context: RequestContext, plan: CarePlan): Promise<Milo | null> {
  if (!(await ownerAccess(context, plan, 'leadMilo')) || !plan.leadMiloId) return null;
  return context.loaders.use(miloById).load(plan.leadMiloId);
}

/** The current care team, to any reader of the plan (the partner's policy shows the team of plans it sees). */
export async function careTeamOf(context: RequestContext, plan: CarePlan): Promise<CareTeamMember[] | null> {
  if (!(await readerAccess(context, plan))) return null;
  return context.loaders.use(careTeamByPlanId).load(plan.id);
}

/**
 * The inputs: every one (INTERNAL too) for the owner; for a partner, what row-level security
 * returns (SHARED only) and only while the owner grants CARE_PLAN_INPUT READ; each read is
 * logged in the owner's log.
 */
export async function inputsOf(context: RequestContext, plan: CarePlan): Promise<CarePlanInput[] | null> {
  const access = await readerAccess(context, plan);
  if (!access) return null;
  if (access.kind === 'OWNER') return context.loaders.use(inputsByPlanId).load(plan.id);
  const grant = await partnerInputGrant(context, plan.tenantId);
  if (!grant) {
    await auditFieldOutsideScope(context, plan, 'inputs', access);
    return null;
  }
  const inputs = (await context.loaders.use(inputsByPlanId).load(plan.id)).filter((input) => input.visibility === 'SHARED');
  await auditPartnerPlanReads(
    context,
    inputs.map((input) => ({ plan, grant, entityType: 'CarePlanInput' as const, entityId: input.id })),
  );
  return inputs;
}

export async function internalNotesOf(context: RequestContext, plan: CarePlan): Promise<CarePlanInternalNote[] | null> {
  if (!(await ownerAccess(context, plan, 'internalNotes'))) return null;
  return context.loaders.use(internalNotesByPlanId).load(plan.id);
}

export async function versionsOf(context: RequestContext, plan: CarePlan): Promise<CarePlanVersion[] | null> {
  if (!(await ownerAccess(context, plan, 'versions'))) return null;
  return context.loaders.use(versionsByPlanId).load(plan.id);
}

export const SUBJECT_READ = 'CARE_PLAN_SUBJECT_READ';

/** Per request: the plan whose subject the request reads (subjects are read one plan at a time). */
const subjectReads = new WeakMap<RequestContext, string>();

const ONE_AT_A_TIME = 'Who a care plan is about is read one plan at a time: ask for `subject` on carePlan(id:) or node(id:), not on a list';

/**
 * Who the plan is about: for the owner's readers, and for a partner whose agreement's field
 * scope names `subjectIdentity` (row-level security says the same). One plan at a time, so
 * that identifying details are never listed: refused inside a list, and for a second plan in
 * the same request. Every read is an audit event in the owner's log (CARE_PLAN_SUBJECT_READ,
 * a partner's with the agreement's purpose) that is kept even if the rest of the operation
 * fails: the details have gone out with the partial response either way.
 */
export async function subjectOf(context: RequestContext, plan: CarePlan, inList: boolean): Promise<CarePlanSubject | null> {
  const access = await readerAccess(context, plan);
  if (!access) return null;
  if (!fieldVisible(access, 'subjectIdentity')) {
    await auditFieldOutsideScope(context, plan, 'subjectIdentity', access);
    return null;
  }
  if (inList) throw forbidden(ONE_AT_A_TIME);
  // Claimed before any await, so that two plans asked for side by side cannot both pass.
  const earlier = subjectReads.get(context);
  if (earlier && earlier !== plan.id) throw forbidden(ONE_AT_A_TIME);
  subjectReads.set(context, plan.id);
  const subject = await context.loaders.use(subjectByPlanId).load(plan.id);
  if (!subject) return null;
  if (!earlier) {
    // Kept whatever happens to the transaction: the details go out with a partial response.
    recordKeptAudit(
      context,
      {
        action: SUBJECT_READ,
        entityType: 'CarePlan',
        entityId: plan.id,
        purpose: access.kind === 'PARTNER' ? access.grant.agreement.purpose : null,
        details: { carePlanId: plan.id },
      },
      plan.tenantId,
    );
  }
  return subject;
}

// ---------------------------------------------------------------------------------------
// One record by id: carePlan(id:) and node(id:), for owners and partners alike.

/**
 * A plan by id. The owner's readers get it (anyone else of the owner: FORBIDDEN). A partner
 * user gets it while an agreement in force shows it; a plan that exists but is not shared
 * with it is FORBIDDEN with the reason, and the refusal is a DENIED event in the owner's log.
 * For anyone else, and for ids that are no plan, it is not there (null).
 */
export async function findCarePlan(context: RequestContext, id: string): Promise<CarePlan | null> {
  const plan = await context.loaders.use(carePlanById).load(id);
  if (plan && plan.tenantId === context.tenantId) {
    if (!(await isOwnerCarePlanReader(context))) throw forbidden(OWNER_READERS_ONLY);
    return plan;
  }
  if (plan && !isRefusal(await planAccess(context, plan))) return plan;
  if (context.hasRole('PARTNER')) {
    const refusal = await refusePartnerPlan(context, { action: 'CARE_PLAN_READ', planId: id, plan });
    if (refusal.extensions.code === 'FORBIDDEN') throw refusal;
  }
  return null;
}

/**
 * An input by id: the owner's readers; a partner while it sees the plan and the owner grants
 * CARE_PLAN_INPUT READ (audited). A partner asking for an input it may not see (INTERNAL, or
 * of a plan not shared with it) is FORBIDDEN, and the refusal audited in the owner's log.
 */
export async function findCarePlanInput(context: RequestContext, id: string): Promise<CarePlanInput | null> {
  const input = await context.loaders.use(carePlanInputById).load(id);
  const plan = input ? await findCarePlan(context, input.carePlanId) : null;
  const visible = plan ? ((await inputsOf(context, plan))?.find((candidate) => candidate.id === id) ?? null) : null;
  if (visible) return visible;
  if (context.hasRole('PARTNER') && input?.tenantId !== context.tenantId) {
    const refusal = await refusePartnerInput(context, { action: 'CARE_PLAN_INPUT_READ', inputId: id });
    if (refusal.extensions.code === 'FORBIDDEN') throw refusal;
  }
  return null;
}

/**
 * A team member by id (current or removed), to those who may read the plan. A partner asking
 * for a member it may not see (of a plan not shared with it, or no longer on the team) gets
 * null, like a police-only note, and the refusal is audited like a plan's.
 */
export async function findCareTeamMember(context: RequestContext, id: string): Promise<CareTeamMember | null> {
  const member = await context.loaders.use(careTeamMemberById).load(id);
  if (!member) {
    if (context.hasRole('PARTNER')) {
      await auditPartnerRefusal(context, { action: 'CARE_TEAM_MEMBER_READ', entityType: 'CareTeamMember', entityId: id, reason: 'PLAN_NOT_SHARED' });
    }
    return null;
  }
  // Partners see the team as it is now, as in CarePlan.careTeam; the owner keeps its history.
  if (member.tenantId !== context.tenantId && member.removedAt !== null) {
    const purpose = await partnerPurpose(context, member.tenantId);
    await auditPartnerRefusal(context, { action: 'CARE_TEAM_MEMBER_READ', entityType: 'CareTeamMember', entityId: id, reason: 'NO_LONGER_ON_TEAM', purpose });
    return null;
  }
  return (await findCarePlan(context, member.carePlanId)) ? member : null;
}

/** A police-only note by id: the owner's readers only. */
export async function findInternalNote(context: RequestContext, id: string): Promise<CarePlanInternalNote | null> {
  const note = await context.db.getRepository(CarePlanInternalNote).findOneBy({ tenantId: context.tenantId, id });
  if (!note) {
    // Police-only notes are never shared: a partner asking for one by id is refused, and the
    // owner's officer sees the attempt.
    if (context.hasRole('PARTNER')) {
      await auditPartnerRefusal(context, { action: 'CARE_PLAN_INTERNAL_NOTE_READ', entityType: 'CarePlanInternalNote', entityId: id, reason: 'POLICE_ONLY' });
    }
    return null;
  }
  const plan = await findCarePlan(context, note.carePlanId);
  return plan && (await internalNotesOf(context, plan)) ? note : null;
}
