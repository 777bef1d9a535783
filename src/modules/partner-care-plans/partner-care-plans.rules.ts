import { allow, hasRole, type ModulePermissions } from '../../platform/graphql/permissions';

const partner = hasRole('PARTNER');

/**
 * The shallow checks: partner users only. The services decide the rest from the agreements in
 * force (a PARTNER role is not enough: DESIGN.md 3), and the partner policies decide again.
 * CarePlan and its connection are the care-plans module's types and rules.
 */
export const partnerCarePlanPermissions: ModulePermissions = {
  Query: { carePlansSharedWithUs: partner },
  Mutation: { contributeCarePlanInput: partner },
  ContributeCarePlanInputPayload: allow,
};
