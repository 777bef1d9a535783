import { hasRole, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';

export const organisationPermissions: ModulePermissions = {
  Query: {
    organisation: isAuthenticated,
    organisations: hasRole('PLATFORM_OPERATOR'),
  },
};
