import { hasRole, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';

const partner = hasRole('PARTNER');

/**
 * The shallow checks. The services decide the rest: sending needs the assigned MILO of the
 * request (from the membership, not the token); following needs the request's colleague,
 * assigned MILO or Leads; receiving needs an agreement in force.
 */
export const referralPermissions: ModulePermissions = {
  Query: { referralsReceived: partner, referral: isAuthenticated },
  Mutation: { referToService: isAuthenticated, updateReferralStatus: partner },
};
