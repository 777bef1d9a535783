import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { LoaderFactory, RequestContext } from '../../platform/context';
import { AccessRule } from './access-rule.entity';
import { agreementState, ruleAllows, type AccessAction, type AgreementState, type SharedResource } from './access-rules';
import { partnerCarePlanDecision, type CarePlanSharing, type PlanFacts } from './care-plan-sharing';
import { DataSharingAgreement } from './data-sharing-agreement.entity';

/*
 * What the caller's organisation is granted, and grants, under agreements in force today: the
 * questions other modules' access policies ask (grantFrom, ownersGranting, the partner rule for
 * care plans…), all answered from one read per request of the agreements it is party to.
 * Revocation and expiry therefore bite on the very next request. The SQL policies ask the same
 * of app_grants() and app_owners_granting().
 */

/** An agreement in force together with the rule of it that grants an action. */
export interface Grant {
  agreement: DataSharingAgreement;
  rule: AccessRule;
}

export function stateOf(context: RequestContext, agreement: DataSharingAgreement): AgreementState {
  return agreementState(agreement, context.today);
}

/**
 * Every agreement the caller's organisation is party to, as owner or partner, with its rules:
 * one read per request, however many records the request checks against it.
 */
interface ViewerAgreements {
  agreements: DataSharingAgreement[];
  grants: Grant[];
}

export const agreementsOfViewer: LoaderFactory<'all', ViewerAgreements> = (context) =>
  new DataLoader(async () => {
    const agreements = await context.db
      .getRepository(DataSharingAgreement)
      .createQueryBuilder('agreement')
      .where('agreement.tenant_id = :me or agreement.partner_organisation_id = :me', { me: context.tenantId })
      .getMany();
    const rules = agreements.length
      ? await context.db.getRepository(AccessRule).find({ where: { agreementId: In(agreements.map((agreement) => agreement.id)) } })
      : [];
    const byId = new Map(agreements.map((agreement) => [agreement.id, agreement]));
    return [{ agreements, grants: rules.flatMap((rule) => (byId.has(rule.agreementId) ? [{ agreement: byId.get(rule.agreementId)!, rule }] : [])) }];
  });

async function grants(context: RequestContext): Promise<Grant[]> {
  return (await context.loaders.use(agreementsOfViewer).load('all')).grants;
}

/**
 * What an owner organisation grants the caller's organisation for a resource and action
 * today, or null. Revocation and expiry therefore bite on the very next request.
 */
export function grantFrom(context: RequestContext, ownerId: string, resource: SharedResource, action: AccessAction): Promise<Grant | null> {
  return grantWhere(context, (agreement) => agreement.tenantId === ownerId, resource, action);
}

/** The first grant to the caller's organisation, in force today for this action, of an agreement that matches. */
async function grantWhere(
  context: RequestContext,
  matches: (agreement: Grant['agreement']) => boolean,
  resource: SharedResource,
  action: AccessAction,
): Promise<Grant | null> {
  const asOf = context.today;
  return (
    (await grants(context)).find(
      ({ agreement, rule }) => matches(agreement) && agreement.partnerOrganisationId === context.tenantId && ruleAllows(agreement, rule, resource, action, asOf),
    ) ?? null
  );
}

/** The owners granting the caller's organisation this action on this resource today. */
export async function ownersGranting(context: RequestContext, resource: SharedResource, action: AccessAction): Promise<Map<string, Grant>> {
  const asOf = context.today;
  const owners = new Map<string, Grant>();
  for (const grant of await grants(context)) {
    if (grant.agreement.partnerOrganisationId !== context.tenantId) continue;
    if (ruleAllows(grant.agreement, grant.rule, resource, action, asOf) && !owners.has(grant.agreement.tenantId)) {
      owners.set(grant.agreement.tenantId, grant);
    }
  }
  return owners;
}

/**
 * The grant of one particular agreement, when it is in force today and gives the caller's
 * organisation this action: a referral is read under the agreement it was sent under, while
 * that agreement stands. From the per-request cache, so a page of records costs no query.
 */
export function grantUnder(context: RequestContext, agreementId: string, resource: SharedResource, action: AccessAction): Promise<Grant | null> {
  return grantWhere(context, (agreement) => agreement.id === agreementId, resource, action);
}

/**
 * The partner rule for care plans (partnerCarePlanDecision) for the caller's organisation as
 * the partner, today, over the per-request read of its agreements: the one decision the
 * care-plan access policy asks, for a plan it loaded or (null) one the database hid.
 */
export async function carePlanSharingFor(context: RequestContext, ownerId: string, plan: PlanFacts | null): Promise<CarePlanSharing<Grant>> {
  return partnerCarePlanDecision(await grants(context), ownerId, plan, context.tenantId, context.today);
}

/** What the caller's own organisation grants a partner today (the sender's side of a referral). */
export async function grantTo(context: RequestContext, partnerId: string, resource: SharedResource, action: AccessAction): Promise<Grant | null> {
  const asOf = context.today;
  return (
    (await grants(context)).find(
      ({ agreement, rule }) =>
        agreement.tenantId === context.tenantId && agreement.partnerOrganisationId === partnerId && ruleAllows(agreement, rule, resource, action, asOf),
    ) ?? null
  );
}

/**
 * Whether an agreement of this owner naming the caller's organisation as partner is in force
 * today, whatever it shares: what lets the caller learn that the owner's records exist and
 * write to the owner's log (app_partnered_owners() and the policy actor_insert say the same).
 */
export async function isPartnerOf(context: RequestContext, ownerId: string): Promise<boolean> {
  const asOf = context.today;
  const { agreements } = await context.loaders.use(agreementsOfViewer).load('all');
  return agreements.some(
    (agreement) => agreement.tenantId === ownerId && agreement.partnerOrganisationId === context.tenantId && agreementState(agreement, asOf) === 'IN_FORCE',
  );
}

/**
 * Whether the caller's own organisation has an agreement in force with this organisation as
 * its partner: a relationship the caller chose, not merely one another organisation declared.
 */
export async function sharesWith(context: RequestContext, partnerId: string): Promise<boolean> {
  const asOf = context.today;
  return (await grants(context)).some(
    ({ agreement }) =>
      agreement.tenantId === context.tenantId && agreement.partnerOrganisationId === partnerId && agreementState(agreement, asOf) === 'IN_FORCE',
  );
}

/** Cached reads of agreements are dropped after a change, so the same request sees it. */
export function forgetGrants(context: RequestContext): void {
  context.loaders.use(agreementsOfViewer).clearAll();
}
