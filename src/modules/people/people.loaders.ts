import { rowsByParent, tenantRowsById } from '../../platform/graphql/batch';
import { Person } from './person.entity';
import { RoleAssignment } from './role-assignment.entity';

/** People of the caller's organisation by id; row-level security keeps other tenants out. */
export const personById = tenantRowsById(Person);

/** Role assignments in effect per person (not pending requests, not ended ones). */
export const activeRoleAssignmentsByPersonId = rowsByParent(RoleAssignment, 'personId', {
  where: { status: 'ACTIVE' },
  order: { role: 'ASC' },
});

/** Every role assignment per person, requests and ended ones included: who held or asked for which role when. */
export const roleAssignmentHistoryByPersonId = rowsByParent(RoleAssignment, 'personId', { order: { requestedAt: 'ASC', id: 'ASC' } });
