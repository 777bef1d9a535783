import { allow, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';

export const schemePermissions: ModulePermissions = {
  Organisation: { schemes: isAuthenticated },
  Scheme: { '*': allow },
};
