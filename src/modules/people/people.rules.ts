import { allow, hasRole, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';

const schemeAdmin = hasRole('SCHEME_ADMIN');

export const peoplePermissions: ModulePermissions = {
  Query: {
    people: schemeAdmin,
    // Non-admins may read themselves; the service decides per record.
    person: isAuthenticated,
  },
  Mutation: {
    createPerson: schemeAdmin,
    updatePerson: schemeAdmin,
    assignRole: schemeAdmin,
    revokeRole: schemeAdmin,
  },
  Person: {
    '*': allow,
    subject: schemeAdmin,
    roleAssignments: schemeAdmin,
  },
  PersonConnection: allow,
  PersonEdge: allow,
  RoleAssignment: allow,
  CreatePersonPayload: allow,
  UpdatePersonPayload: allow,
  AssignRolePayload: allow,
  RevokeRolePayload: allow,
};
