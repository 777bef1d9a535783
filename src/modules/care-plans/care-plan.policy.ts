import DataLoader from 'dataloader';
import type { LoaderFactory, RequestContext } from '../../platform/context';
import { auditCrossTenantReads, knowableOwnerOf, recordDenial, recordRefusal } from '../../platform/audit';
import { conflict, forbidden, notFound, type PlatformError } from '../../platform/errors';
import { decodeGlobalId } from '../../platform/graphql/global-id';
import { carePlanRefusalMessage, carePlanSharingFor, grantFrom, grantTo, type CarePlanRefusalReason, type Grant } from '../agreements';
import { organisationById, organisationNameOf } from '../organisations';
import { callerMemberships } from '../milos';
import type { CarePlan } from './care-plan.entity';
import { carePlanById } from './care-plans.loaders';

/*
 * The care-plan access policy: every decision about a plan and its records is made here, and
 * every refusal audited here (docs/architecture.md, "Authorization"). Who may read a plan,
 * and which of its fields:
 *
 * - the owner organisation: its ACTIVE MILOs and Lead MILOs (they manage plans; the milos
 *   module's membership check says who they are today) and its AUDITORs (data protection
 *   officers answer subject access requests); every field;
 * - a partner organisation: its PARTNER users, as the partner rule of the agreements module
 *   says (an agreement of the owner in force grants CARE_PLAN READ and the rule's conditions
 *   hold); only the fields in the rule's scope; shared inputs only when the owner also grants
 *   CARE_PLAN_INPUT READ; police-only notes never. Row-level security applies the same rules,
 *   so these checks give clear errors and the database is the last line.
 *
 * Every partner read is an audit event in the owner's log, with the agreement's purpose; every
 * refusal of a partner is too, with outcome DENIED (recordDenial outlives the rollback).
 */

export type CarePlanAccess =
  | { kind: 'OWNER' }
  | { kind: 'PARTNER'; grant: Grant; fields: ReadonlySet<string> };

/** Whether the caller works care plans of its own organisation (any of them). */
export async function isOwnerCarePlanReader(context: RequestContext): Promise<boolean> {
  return context.hasRole('AUDITOR') || (await isCarePlanWorker(context));
}

/** Whether the caller may change the organisation's care plans: its ACTIVE MILOs and Leads. */
export async function isCarePlanWorker(context: RequestContext): Promise<boolean> {
  return callerMemberships(context).isActive();
}

export const OWNER_READERS_ONLY = "Care plans are for the organisation's active MILOs and Lead MILOs, and its auditors";
export const WORKERS_ONLY = "Changing care plans needs an active MILO or Lead MILO of the plan's organisation";

/** Reading the organisation's plans at all: true, or the refusal. */
export async function carePlanReadingDecision(context: RequestContext): Promise<true | PlatformError> {
  return (await isOwnerCarePlanReader(context)) ? true : forbidden(OWNER_READERS_ONLY);
}

/** What a change of a plan names: the plan, or the team member it changes. */
export interface ChangeTarget {
  carePlanId?: unknown;
  careTeamMemberId?: unknown;
}

/**
 * Changing plans at all: true, or the refusal. A partner user trying to change an owner's
 * plan is refused, and the attempt is logged in the owner's log (outcome DENIED) so the
 * owner's data protection officer sees it: found by the security-definer owner lookup, since
 * the partner may not see the plan.
 */
export async function carePlanChangeDecision(context: RequestContext, target: ChangeTarget | undefined): Promise<true | PlatformError> {
  if (await isCarePlanWorker(context)) return true;
  if (context.hasRole('PARTNER')) {
    const named = target?.carePlanId ?? target?.careTeamMemberId;
    const decoded = typeof named === 'string' ? decodeGlobalId(named) : undefined;
    if (decoded?.typeName === 'CarePlan' || decoded?.typeName === 'CareTeamMember') {
      await auditPartnerRefusal(context, {
        action: 'CARE_PLAN_CHANGE_REFUSED',
        entityType: decoded.typeName,
        entityId: decoded.id,
        reason: 'PARTNERS_DO_NOT_CHANGE_PLANS',
      });
    }
  }
  return forbidden(WORKERS_ONLY);
}

export interface PartnerRefusal {
  reason: 'NOT_A_PARTNER_USER' | CarePlanRefusalReason;
}

/**
 * The caller's access to a plan it can see, or the reason it has none. The plan row comes
 * from the database under the caller's own policies, so a partner only ever gets here for
 * plans the database already lets it see; the reasons matter for plans loaded by the owner.
 */
export async function accessTo(context: RequestContext, plan: CarePlan): Promise<CarePlanAccess | PartnerRefusal> {
  if (plan.tenantId === context.tenantId) {
    return (await isOwnerCarePlanReader(context)) ? { kind: 'OWNER' } : { reason: 'NOT_A_PARTNER_USER' };
  }
  if (!context.hasRole('PARTNER')) return { reason: 'NOT_A_PARTNER_USER' };
  // The partner rule is the agreements module's; this policy asks it and never re-derives it.
  const sharing = await carePlanSharingFor(context, plan.tenantId, plan);
  if (!sharing.allowed) return { reason: sharing.reason };
  return { kind: 'PARTNER', grant: sharing.terms, fields: new Set(sharing.fields) };
}

export function isRefusal(access: CarePlanAccess | PartnerRefusal): access is PartnerRefusal {
  return 'reason' in access;
}

/** The caller's access to each plan, decided once per request; partner reads audited in one batch. */
const accessByPlan: LoaderFactory<CarePlan, CarePlanAccess | PartnerRefusal> = (context) =>
  new DataLoader(
    async (plans) => {
      const results: Array<CarePlanAccess | PartnerRefusal> = [];
      for (const plan of plans) results.push(await accessTo(context, plan));
      const reads = plans.flatMap((plan, index) => {
        const access = results[index];
        return !isRefusal(access) && access.kind === 'PARTNER' ? [{ plan, grant: access.grant }] : [];
      });
      await auditPartnerPlanReads(context, reads);
      return results;
    },
    { cacheKeyFn: (plan) => plan.id },
  );

export function planAccess(context: RequestContext, plan: CarePlan): Promise<CarePlanAccess | PartnerRefusal> {
  return context.loaders.use(accessByPlan).load(plan);
}

/**
 * What lets a partner read the SHARED inputs of an owner's plans it sees: the owner's
 * CARE_PLAN_INPUT READ grant in force today, or null (then it reads none).
 */
export function partnerInputGrant(context: RequestContext, ownerId: string): Promise<Grant | null> {
  return grantFrom(context, ownerId, 'CARE_PLAN_INPUT', 'READ');
}

/**
 * Whether the caller's organisation shares care plans with this partner today: what lets a
 * member on behalf of the partner join a plan's team (which, under careTeamOnly, opens the
 * plan to the partner).
 */
export async function sharesCarePlansWith(context: RequestContext, partnerId: string): Promise<boolean> {
  return (await grantTo(context, partnerId, 'CARE_PLAN', 'READ')) !== null;
}

/** The purpose of the owner's care-plan agreement in force with the caller's organisation, for its audit events. */
export async function partnerPurpose(context: RequestContext, ownerId: string): Promise<string | null> {
  return (await grantFrom(context, ownerId, 'CARE_PLAN', 'READ'))?.agreement.purpose ?? null;
}

/** Whether a field of the plan reaches the caller: every field for the owner, the scope for a partner. */
export function fieldVisible(access: CarePlanAccess, field: string): boolean {
  return access.kind === 'OWNER' || access.fields.has(field);
}

/** Logs a partner's read of plans (or inputs) in their owners' logs, batched per request. */
export async function auditPartnerPlanReads(
  context: RequestContext,
  reads: ReadonlyArray<{ plan: CarePlan; grant: Grant; entityType?: 'CarePlan' | 'CarePlanInput'; entityId?: string }>,
): Promise<void> {
  await auditCrossTenantReads(
    context,
    reads.map(({ plan, grant, entityType, entityId }) => ({
      ownerTenantId: plan.tenantId,
      action: entityType === 'CarePlanInput' ? 'CARE_PLAN_INPUT_READ' : 'CARE_PLAN_READ',
      entityType: entityType ?? 'CarePlan',
      entityId: entityId ?? plan.id,
      purpose: grant.agreement.purpose,
    })),
  );
}

/**
 * Audits a partner's refused attempt as DENIED: in the owner's log when the caller's
 * organisation is its partner under an agreement in force (the owner found by the
 * security-definer lookup, since the row is invisible to the partner), otherwise as for an
 * unknown id (see recordRefusal), so an unrelated organisation neither learns whose it is nor
 * writes to that owner's log.
 */
export async function auditPartnerRefusal(
  context: RequestContext,
  attempt: {
    action: string;
    entityType: 'CarePlan' | 'CarePlanInput' | 'CareTeamMember' | 'CarePlanInternalNote';
    entityId: string;
    reason: string;
    purpose?: string | null;
  },
): Promise<void> {
  const { reason, purpose, ...entry } = attempt;
  await recordRefusal(context, { ...entry, reason, purpose: purpose ?? null });
}

// ---------------------------------------------------------------------------------------
// Refusing partners clearly, and auditing every refusal.

/** A partner's refused request for a plan: whose plan, why, and what to tell the caller. */
export interface PartnerPlanRefusal {
  /** The plan's owner; null when the id is no plan, or a plan of an owner the caller is no partner of. */
  ownerId: string | null;
  reason: CarePlanRefusalReason | 'NOT_A_PARTNER_USER' | 'UNKNOWN_PLAN';
  message: string;
  purpose: string | null;
}

/**
 * Why the caller's organisation may not have the plan `planId`: `plan` is the row as the
 * caller's own policies show it (null when hidden). The owner of a hidden plan is found by
 * the security-definer lookup, which tells nothing but the owner, and that only to the
 * owner's partners under an agreement in force.
 */
export async function explainPartnerPlanRefusal(context: RequestContext, planId: string, plan: CarePlan | null): Promise<PartnerPlanRefusal> {
  // Who owns a hidden plan is told only to its partners: for anyone else it is not there.
  const ownerId = plan?.tenantId ?? (await knowableOwnerOf(context, 'CarePlan', planId));
  if (!ownerId) return { ownerId: null, reason: 'UNKNOWN_PLAN', message: 'Care plan was not found', purpose: null };
  const names = { owner: await organisationNameOf(context, ownerId), partner: await organisationNameOf(context, context.tenantId) };
  if (!context.hasRole('PARTNER')) {
    return { ownerId, reason: 'NOT_A_PARTNER_USER', message: `Care plans of ${names.owner} are shared with partner users only`, purpose: null };
  }
  const sharing = await carePlanSharingFor(context, ownerId, plan);
  const purpose = sharing.terms?.agreement.purpose ?? null;
  // Only reached for refusals; a plan the rules allow yet the caller was refused is a bug, said plainly.
  if (sharing.allowed) return { ownerId, reason: 'CONDITIONS_NOT_MET', message: `This plan is not shared with ${names.partner}`, purpose };
  return { ownerId, reason: sharing.reason, message: carePlanRefusalMessage(sharing.reason, names, sharing.terms), purpose };
}

/**
 * Refuses a partner's request for a plan (read, contribute, change): audits it with outcome
 * DENIED in the owner's log (kept even though the request fails) and returns the error to
 * throw: FORBIDDEN with the reason. An id that is no plan, and a plan of an owner the caller
 * is no partner of, get the same NOT_FOUND and the same event in the caller's own log: an
 * unrelated organisation learns nothing from the difference and writes nothing to the owner's.
 */
export async function refusePartnerPlan(
  context: RequestContext,
  attempt: { action: string; planId: string; plan?: CarePlan | null },
): Promise<PlatformError> {
  const refusal = await explainPartnerPlanRefusal(context, attempt.planId, attempt.plan ?? null);
  recordDenial(
    context,
    { action: attempt.action, entityType: 'CarePlan', entityId: attempt.planId, purpose: refusal.purpose, details: { reason: refusal.reason } },
    refusal.ownerId ?? context.tenantId,
  );
  // Callers who are no partner user learn nothing of another organisation's plan: NOT_FOUND.
  return refusal.ownerId && refusal.reason !== 'NOT_A_PARTNER_USER' ? forbidden(refusal.message) : notFound('Care plan');
}

/**
 * When the caller's policies hid the input `inputId` (an INTERNAL input, one of a plan not
 * shared with it, or of an owner granting it no inputs): audits the attempt as DENIED in the
 * owner's log and returns the reason and message, or null for an id that is no one else's
 * input the caller may know of (unknown, or of an owner it is no partner of: the same event).
 */
export async function auditUnseenCarePlanInput(
  context: RequestContext,
  inputId: string,
  action = 'CARE_PLAN_INPUT_READ',
): Promise<{ ownerId: string; reason: 'INPUT_NOT_SHARED' | 'NO_AGREEMENT'; message: string } | null> {
  const ownerId = await knowableOwnerOf(context, 'CarePlanInput', inputId);
  if (!ownerId || ownerId === context.tenantId) {
    if (!ownerId && context.hasRole('PARTNER')) {
      recordDenial(context, { action, entityType: 'CarePlanInput', entityId: inputId, details: { reason: 'UNKNOWN_INPUT' } });
    }
    return null;
  }
  const owner = await organisationNameOf(context, ownerId);
  const partner = await organisationNameOf(context, context.tenantId);
  const grant = await partnerInputGrant(context, ownerId);
  const reason = grant ? 'INPUT_NOT_SHARED' : 'NO_AGREEMENT';
  recordDenial(context, { action, entityType: 'CarePlanInput', entityId: inputId, purpose: grant?.agreement.purpose ?? null, details: { reason } }, ownerId);
  const message = grant
    ? `This input of ${owner} is not shared with ${partner}: only inputs marked SHARED, on plans shared with you, are`
    : `No data sharing agreement in force with ${owner} grants care plan inputs to ${partner}`;
  return { ownerId, reason, message };
}

/** As auditUnseenCarePlanInput, returning the error to throw (FORBIDDEN, or NOT_FOUND for no such input). */
export async function refusePartnerInput(context: RequestContext, attempt: { action: string; inputId: string }): Promise<PlatformError> {
  const refusal = await auditUnseenCarePlanInput(context, attempt.inputId, attempt.action);
  return refusal ? forbidden(refusal.message) : notFound('Care plan input');
}

/**
 * A partner user's contribution to a plan: the plan and the grant it contributes under, or the
 * refusal thrown, audited DENIED in the owner's log: a plan it may not see (as for a read), no
 * CARE_PLAN_INPUT rule granting CONTRIBUTE, or a closed plan. Its own organisation's plan is
 * its MILOs' to add to.
 */
export async function partnerContributionTo(context: RequestContext, planId: string, action: string): Promise<{ plan: CarePlan; grant: Grant }> {
  const plan = await context.loaders.use(carePlanById).load(planId);
  if (!plan) throw await refusePartnerPlan(context, { action, planId });
  if (plan.tenantId === context.tenantId) {
    throw forbidden("This is your own organisation's plan: its MILOs add inputs to it, not partners");
  }
  const access = await accessTo(context, plan);
  if (isRefusal(access)) throw await refusePartnerPlan(context, { action, planId, plan });

  const ownerName = (await context.loaders.use(organisationById).load(plan.tenantId))?.name ?? 'the owner';
  const partnerName = (await context.loaders.use(organisationById).load(context.tenantId))?.name ?? 'your organisation';
  const grant = await grantFrom(context, plan.tenantId, 'CARE_PLAN_INPUT', 'CONTRIBUTE');
  if (!grant) {
    await auditPartnerRefusal(context, {
      action,
      entityType: 'CarePlan',
      entityId: plan.id,
      reason: 'NO_CONTRIBUTE_RULE',
      purpose: access.kind === 'PARTNER' ? access.grant.agreement.purpose : null,
    });
    throw forbidden(`No data sharing agreement in force with ${ownerName} lets ${partnerName} contribute to its care plans`);
  }
  if (plan.status === 'CLOSED') {
    recordDenial(context, { action, entityType: 'CarePlan', entityId: plan.id, purpose: null, details: { reason: 'PLAN_CLOSED' } }, plan.tenantId);
    throw conflict('The care plan is closed: nothing more can be added to it');
  }
  return { plan, grant };
}

/** One field of one plan a partner asked for outside its scope (see auditFieldOutsideScope). */
type FieldRefusal = [ownerTenantId: string, purpose: string | null, planId: string, field: string];

/**
 * Refused fields of the request, logged per owner and purpose: a page of 50 plans each asking
 * for an out-of-scope section is one DENIED event per owner, naming the plans and fields.
 */
const fieldRefusalLog: LoaderFactory<string, true> = (context) =>
  new DataLoader(async (keys) => {
    const groups = new Map<string, { owner: string; purpose: string | null; ids: Set<string>; fields: Set<string> }>();
    for (const key of keys) {
      const [owner, purpose, planId, field] = JSON.parse(key) as FieldRefusal;
      const groupKey = JSON.stringify([owner, purpose]);
      const group = groups.get(groupKey) ?? { owner, purpose, ids: new Set<string>(), fields: new Set<string>() };
      group.ids.add(planId);
      group.fields.add(field);
      groups.set(groupKey, group);
    }
    for (const { owner, purpose, ids, fields } of groups.values()) {
      recordDenial(
        context,
        {
          action: 'CARE_PLAN_READ',
          entityType: 'CarePlan',
          entityId: ids.size === 1 ? [...ids][0] : null,
          purpose,
          details: { reason: 'FIELD_OUTSIDE_SCOPE', fields: [...fields].sort(), ids: [...ids] },
        },
        owner,
      );
    }
    return keys.map(() => true as const);
  });

/**
 * Records that a partner asked for a field of a plan that its agreement's field scope leaves
 * out (the field then reads as null): DENIED in the owner's log, batched per request tick.
 * Field resolvers call it when fieldVisible(access, field) is false for a PARTNER access.
 */
export async function auditFieldOutsideScope(context: RequestContext, plan: CarePlan, field: string, access?: CarePlanAccess): Promise<void> {
  if (plan.tenantId === context.tenantId) return;
  const purpose = access?.kind === 'PARTNER' ? access.grant.agreement.purpose : await partnerPurpose(context, plan.tenantId);
  const key: FieldRefusal = [plan.tenantId, purpose, plan.id, field];
  await context.loaders.use(fieldRefusalLog).load(JSON.stringify(key));
}
