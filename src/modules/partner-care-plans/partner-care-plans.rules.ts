import { hasRole, type ModulePermissions } from '../../platform/graphql/permissions';

const partner = hasRole('PARTNER');

/**
 * The shallow checks: partner users only. The services decide the rest from the agreements in
 * force (a PARTNER role is not enough: see docs/architecture.md, "Authorization"), and the
 * partner policies decide again.
 */
export const partnerCarePlanPermissions: ModulePermissions = {
  Query: { carePlansSharedWithUs: partner },
  Mutation: { contributeCarePlanInput: partner },
};
