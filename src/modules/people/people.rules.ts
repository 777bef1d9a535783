import { allow, hasRole, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';

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
  Person: {
    '*': allow,
    subject: schemeAdmin,
    roleAssignments: schemeAdmin,
  },
  PersonConnection: allow,
  PersonEdge: allow,
  // Reached through scheme-admin-only fields and queries (and node(id:) for scheme admins).
  RoleAssignment: allow,
  RoleAssignmentConnection: allow,
  RoleAssignmentEdge: allow,
  CreatePersonPayload: allow,
  UpdatePersonPayload: allow,
  LinkPersonIdentityPayload: allow,
  RelinkPersonIdentityPayload: allow,
  AssignRolePayload: allow,
  RevokeRolePayload: allow,
  ApproveRoleAssignmentPayload: allow,
  RejectRoleAssignmentPayload: allow,
};
