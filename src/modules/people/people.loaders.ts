import DataLoader from 'dataloader';
import { In, IsNull } from 'typeorm';
import type { LoaderFactory } from '../../platform/context';
import { manyByKey, tenantRowsById } from '../../platform/graphql/batch';
import { Person } from './person.entity';
import { RoleAssignment } from './role-assignment.entity';

/** People of the caller's organisation by id; row-level security keeps other tenants out. */
export const personById = tenantRowsById(Person);

/** Active role assignments per person. */
export const activeRoleAssignmentsByPersonId: LoaderFactory<string, RoleAssignment[]> = (context) =>
  new DataLoader(async (personIds) => {
    const rows = await context.db.getRepository(RoleAssignment).find({
      where: { tenantId: context.tenantId, personId: In([...personIds]), revokedAt: IsNull() },
      order: { role: 'ASC' },
    });
    return manyByKey(personIds, rows, (row) => row.personId);
  });

/** Every role assignment, revoked ones included, per person: who held which role when. */
export const roleAssignmentHistoryByPersonId: LoaderFactory<string, RoleAssignment[]> = (context) =>
  new DataLoader(async (personIds) => {
    const rows = await context.db.getRepository(RoleAssignment).find({
      where: { tenantId: context.tenantId, personId: In([...personIds]) },
      order: { grantedAt: 'ASC' },
    });
    return manyByKey(personIds, rows, (row) => row.personId);
  });
