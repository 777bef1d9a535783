import { hasRole, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';

const schemeAdmin = hasRole('SCHEME_ADMIN');

/** The directory is for every member; only the owner's scheme admins keep it. */
export const signpostingPermissions: ModulePermissions = {
  Query: { signpostingServices: isAuthenticated },
  Mutation: { createSignpostingService: schemeAdmin, updateSignpostingService: schemeAdmin },
};
