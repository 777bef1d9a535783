import { rule } from 'graphql-shield';
import type { RequestContext } from '../../platform/context';
import { hasRole, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';
import { carePlanChangeDecision, carePlanReadingDecision, type ChangeTarget } from './care-plan.policy';

/*
 * Gates on the root fields, each asking the access policy (care-plan.policy.ts), which decides
 * from the caller's membership today (never a token claim) and audits its refusals; the
 * services then check the particular plan. Partner users reach plans through their own
 * queries and carePlan(id:)/node(id:); the fields decide what they see. See
 * docs/architecture.md, "Authorization".
 */

const ownerReader = rule('carePlans:ownerReader', { cache: 'contextual' })((_parent, _args, context: RequestContext) => carePlanReadingDecision(context));

// Not cached: a refusal names the plan of this call's input in the owner's log.
const carePlanWorker = rule('carePlans:worker', { cache: 'no_cache' })((_parent, args, context: RequestContext) =>
  carePlanChangeDecision(context, (args as { input?: ChangeTarget }).input),
);

export const carePlanPermissions: ModulePermissions = {
  Query: {
    carePlans: ownerReader,
    carePlanReviewsDue: ownerReader,
    // Owners' readers and partners: the service decides per plan (FORBIDDEN, or null).
    carePlan: isAuthenticated,
    carePlanSubjectAccessExport: hasRole('AUDITOR'),
  },
  Mutation: {
    createCarePlan: carePlanWorker,
    updateCarePlan: carePlanWorker,
    recordCarePlanConsent: carePlanWorker,
    addCareTeamMember: carePlanWorker,
    removeCareTeamMember: carePlanWorker,
    addCarePlanInput: carePlanWorker,
    addCarePlanInternalNote: carePlanWorker,
    closeCarePlan: carePlanWorker,
    anonymiseCarePlan: hasRole('SCHEME_ADMIN'),
  },
};
