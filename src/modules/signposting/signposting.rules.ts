import { allow, hasRole, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';

const schemeAdmin = hasRole('SCHEME_ADMIN');

/** The directory is for every member; only the owner's scheme admins keep it. */
export const signpostingPermissions: ModulePermissions = {
  Query: { signpostingServices: isAuthenticated },
  Mutation: { createSignpostingService: schemeAdmin, updateSignpostingService: schemeAdmin },
  // Services reach callers through the query above, node(id:), payloads and other modules'
  // fields (a request's crisis signposting, a referral's service), each of which loads them
  // through this module's visibility rules.
  SignpostingService: allow,
  CreateSignpostingServicePayload: allow,
  UpdateSignpostingServicePayload: allow,
};
