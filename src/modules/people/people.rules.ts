import { hasRole, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';

const schemeAdmin = hasRole('SCHEME_ADMIN');

export const peoplePermissions: ModulePermissions = {
  Query: {
    people: schemeAdmin,
    // Non-admins may read themselves; the service decides per record.
    person: isAuthenticated,
    pendingRoleAssignments: schemeAdmin,
  },
  Mutation: {
    createPerson: schemeAdmin,
    updatePerson: schemeAdmin,
    linkPersonIdentity: schemeAdmin,
    relinkPersonIdentity: hasRole('PLATFORM_OPERATOR'),
    assignRole: schemeAdmin,
    revokeRole: schemeAdmin,
    approveRoleAssignment: schemeAdmin,
    rejectRoleAssignment: schemeAdmin,
  },
  // A person is readable by colleagues; their identity-provider subject and role assignments
  // are for scheme admins only.
  Person: { subject: schemeAdmin, roleAssignments: schemeAdmin },
};
