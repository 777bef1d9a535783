import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { LoaderFactory } from '../../platform/context';
import { manyByKey, tenantRowsById } from '../../platform/graphql/batch';
import { Person } from './person.entity';
import { RoleAssignment } from './role-assignment.entity';

/** People of the caller's organisation by id; row-level security keeps other tenants out. */
export const personById = tenantRowsById(Person);

/** Role assignments in effect per person (not pending requests, not ended ones). */
export const activeRoleAssignmentsByPersonId: LoaderFactory<string, RoleAssignment[]> = (context) =>
  new DataLoader(async (personIds) => {
    const rows = await context.db.getRepository(RoleAssignment).find({
      where: { tenantId: context.tenantId, personId: In([...personIds]), status: 'ACTIVE' },
      order: { role: 'ASC' },
    });
    return manyByKey(personIds, rows, (row) => row.personId);
  });

/** Every role assignment per person, requests and ended ones included: who held or asked for which role when. */
export const roleAssignmentHistoryByPersonId: LoaderFactory<string, RoleAssignment[]> = (context) =>
  new DataLoader(async (personIds) => {
    const rows = await context.db.getRepository(RoleAssignment).find({
      where: { tenantId: context.tenantId, personId: In([...personIds]) },
      order: { requestedAt: 'ASC', id: 'ASC' },
    });
    return manyByKey(personIds, rows, (row) => row.personId);
  });
