import type { RequestContext } from '../../platform/context';
import { auditCrossTenantReads, recordDenial } from '../../platform/audit';
import { carePlanConditionFailure, fieldsInScope, grantFrom, type CarePlanConditionFailure, type Grant } from '../agreements';
import { isActiveLeadMilo } from '../milos';
import { activeMembershipIn, viewerMilos } from '../support/support-access';
import { effectiveStatusOf } from '../milos';
import type { CarePlan } from './care-plan.entity';

/*
 * Who may read a care plan, and which of its fields (DESIGN.md 2 and 5; issue 5):
 *
 * - the owner organisation: its ACTIVE MILOs and Lead MILOs (they manage plans) and its
 *   AUDITORs (data protection officers answer subject access requests); every field;
 * - a partner organisation: its PARTNER users, while an agreement of the owner in force grants
 *   CARE_PLAN READ and the rule's conditions hold (on the care team unless the rule says
 *   otherwise; consent GIVEN when the rule requires it); only the fields in the rule's scope;
 *   shared inputs only when the owner also grants CARE_PLAN_INPUT READ; police-only notes
 *   never. Row-level security applies the same rules, so these checks give clear errors and the
 *   database is the last line.
 *
 * Every partner read is an audit event in the owner's log, with the agreement's purpose; every
 * refusal of a partner is too, with outcome DENIED (recordDenial outlives the rollback).
 */

export type CarePlanAccess =
  | { kind: 'OWNER' }
  | { kind: 'PARTNER'; grant: Grant; fields: ReadonlySet<string> };

/** Whether the caller works care plans of its own organisation (any of them). */
export async function isOwnerCarePlanReader(context: RequestContext): Promise<boolean> {
  if (context.hasRole('AUDITOR')) return true;
  for (const milo of await viewerMilos(context)) {
    if ((await effectiveStatusOf(context, milo)) === 'ACTIVE') return true;
  }
  return false;
}

/** Whether the caller may change the organisation's care plans: its ACTIVE MILOs and Leads. */
export async function isCarePlanWorker(context: RequestContext): Promise<boolean> {
  for (const milo of await viewerMilos(context)) {
    if ((await effectiveStatusOf(context, milo)) === 'ACTIVE') return true;
  }
  return false;
}

export { activeMembershipIn, isActiveLeadMilo };

export interface PartnerRefusal {
  reason: 'NOT_A_PARTNER_USER' | 'NO_AGREEMENT' | CarePlanConditionFailure;
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
  const grant = await grantFrom(context, plan.tenantId, 'CARE_PLAN', 'READ');
  if (!grant) return { reason: 'NO_AGREEMENT' };
  const failure = carePlanConditionFailure(grant.rule.conditions, plan, context.tenantId);
  if (failure) return { reason: failure };
  return { kind: 'PARTNER', grant, fields: new Set(fieldsInScope(grant.rule)) };
}

export function isRefusal(access: CarePlanAccess | PartnerRefusal): access is PartnerRefusal {
  return 'reason' in access;
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
 * Audits a partner's refused attempt in the owner's log (outcome DENIED), found by the
 * security-definer lookup when the row is invisible to the partner. Unknown ids are logged
 * in the caller's own log so that probing is visible too.
 */
export async function auditPartnerRefusal(
  context: RequestContext,
  attempt: { action: string; entityType: 'CarePlan' | 'CarePlanInput'; entityId: string; reason: string; purpose?: string | null },
): Promise<void> {
  const lookup = attempt.entityType === 'CarePlan' ? 'app_care_plan_owner' : 'app_care_plan_input_owner';
  const [row] = await context.db.query(`select ${lookup}($1) as owner`, [attempt.entityId]);
  const owner: string = row?.owner ?? context.tenantId;
  recordDenial(
    context,
    { action: attempt.action, entityType: attempt.entityType, entityId: attempt.entityId, purpose: attempt.purpose ?? null, details: { reason: attempt.reason } },
    owner,
  );
}
