import { recordAudit } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { forbidden } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { paginate } from '../../platform/graphql/paginate';
import type { ConnectionArgs, ConnectionResult } from '../../platform/graphql/relay';
import { fieldsInScope, ownersGranting } from '../agreements';
import { organisationById } from '../organisations';
import { personById } from '../people';
import { CarePlan, addPartnerInput, isRefusal, partnerContributionTo, planAccess, type CarePlanInput } from '../care-plans';
import type { CarePlansSharedWithUsFilter, ContributeCarePlanInputInput } from './partner-care-plans.types';

/*
 * The partner's side of care plans: a partner organisation's users list the
 * plans every owner shares with it, and add their own input where the owner's rule allows
 * CONTRIBUTE. Rows come from PostgreSQL without a tenant filter: the partner policies decide
 * what is there; the care-plan access policy then explains each row by a rule, so the two places
 * that enforce the rules agree, and logs every read and contribution in the owner's log.
 * The plans' fields (sections, team, inputs, subject) are the CarePlan type's own field
 * resolvers, which apply the rule's field scope for owner and partner alike.
 */

export const PartnerCarePlanAction = {
  READ: 'CARE_PLAN_READ',
  CONTRIBUTED: 'CARE_PLAN_INPUT_CONTRIBUTED',
} as const;

/** Keyset order of the list: by the owner's reference, then id (references are unique per owner only). */
const BY_REFERENCE = { column: 'plan.reference', value: (row: CarePlan) => row.reference };

/** Plans being worked, whose review matters (see the owner's care-plan rules). */
const REVIEWED = ['ACTIVE', 'UNDER_REVIEW'];

/**
 * Care plans shared with the caller's organisation by every owner whose agreement in force
 * grants it CARE_PLAN READ and whose rule's conditions the plan meets (partner users). One
 * statement for the page whatever the number of owners; each plan read is logged in its
 * owner's log with the agreement's purpose (one insert for the page).
 */
export async function listCarePlansSharedWithUs(
  context: RequestContext,
  args: ConnectionArgs,
  filter: CarePlansSharedWithUsFilter = {},
): Promise<ConnectionResult<CarePlan>> {
  const grants = await ownersGranting(context, 'CARE_PLAN', 'READ');
  let owners = [...grants.keys()].filter((owner) => owner !== context.tenantId);
  if (filter.reviewOverdue !== undefined && filter.reviewOverdue !== null) {
    // Filtering by the review date reads it: only owners whose scope gives the partner that field.
    owners = owners.filter((owner) => fieldsInScope(grants.get(owner)!.rule).includes('reviewDueOn'));
  }
  if (filter.ownerOrganisationId) {
    const only = idOf('Organisation', filter.ownerOrganisationId, 'filter.ownerOrganisationId');
    owners = owners.filter((owner) => owner === only);
  }
  const query = context.db
    .getRepository(CarePlan)
    .createQueryBuilder('plan')
    // The policy alone would do; naming the owners lets the planner use the primary key's tenant_id.
    .where('plan.tenant_id = any(cast(:owners as uuid[]))', { owners });
  if (filter.status) query.andWhere('plan.status = :status', { status: filter.status });
  if (filter.reviewOverdue !== undefined && filter.reviewOverdue !== null) {
    const overdue = `(plan.review_due_on < :today and plan.status = any(cast(:reviewed as text[])))`;
    query.andWhere(filter.reviewOverdue ? overdue : `not coalesce(${overdue}, false)`, { today: context.today, reviewed: REVIEWED });
  }
  const page = await paginate(query, args, BY_REFERENCE);

  // The second place the rules are enforced: a row the policy cannot explain by a rule is
  // not returned (and would mean the database and the policy disagree). Asked for the whole
  // page at once, so its reads are one audit insert.
  const accesses = await Promise.all(page.edges.map((edge) => planAccess(context, edge.node)));
  const edges = page.edges.filter((edge, index) => {
    const access = accesses[index];
    if (!isRefusal(access) && access.kind === 'PARTNER') return true;
    context.log.error({ carePlanId: edge.node.id, access }, 'a care plan the rules do not explain reached a partner');
    return false;
  });
  return {
    edges,
    pageInfo: page.pageInfo,
    // Lazy, as paginate's: the count runs only when a client selects totalCount.
    get totalCount() {
      return page.totalCount;
    },
  };
}

/**
 * A partner user adds an input to a plan shared with their organisation: in their own name
 * and organisation, kind PARTNER, visibility SHARED, while the owner's CARE_PLAN_INPUT rule
 * allows CONTRIBUTE. Logged in the owner's log; every refusal is logged there as DENIED.
 */
export async function contributeCarePlanInput(
  context: RequestContext,
  input: ContributeCarePlanInputInput,
): Promise<{ input: CarePlanInput; carePlan: CarePlan }> {
  const planId = idOf('CarePlan', input.carePlanId, 'carePlanId');
  const { plan, grant } = await partnerContributionTo(context, planId, PartnerCarePlanAction.CONTRIBUTED);
  const partnerName = (await context.loaders.use(organisationById).load(context.tenantId))?.name ?? 'your organisation';

  const personId = context.viewer.personId;
  const person = personId ? await context.loaders.use(personById).load(personId) : null;
  if (!person) throw forbidden(`Contributing needs a person record for you in ${partnerName}: inputs are signed in their author's name`);

  const carePlanInput = await addPartnerInput(context, plan, person, input.body);
  await recordAudit(
    context,
    {
      action: PartnerCarePlanAction.CONTRIBUTED,
      entityType: 'CarePlanInput',
      entityId: carePlanInput.id,
      purpose: grant.agreement.purpose,
      // What was added and under which agreement, never the text itself.
      details: { carePlanId: plan.id, agreementId: grant.agreement.id, kind: 'PARTNER', visibility: 'SHARED', length: input.body.length },
    },
    plan.tenantId,
  );
  return { input: carePlanInput, carePlan: plan };
}
