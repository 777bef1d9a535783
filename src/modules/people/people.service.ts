import { randomUUID } from 'node:crypto';
import { Brackets, IsNull } from 'typeorm';
import type { RequestContext } from '../../platform/context';
import type { OrganisationRole } from '../../platform/auth/roles';
import { badUserInput, forbidden, notFound } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { paginate } from '../../platform/graphql/paginate';
import type { ConnectionArgs, ConnectionResult } from '../../platform/graphql/relay';
import { Person } from './person.entity';
import { RoleAssignment } from './role-assignment.entity';
import { activeRoleAssignmentsByPersonId, personById } from './people.loaders';
import type { CreatePersonInput, PeopleFilter, RoleAssignmentInput, UpdatePersonInput } from './person.types';

/** Only platform operators may hand out the operator role. */
function requireMayGrant(context: RequestContext, role: OrganisationRole): void {
  if (role === 'PLATFORM_OPERATOR' && !context.hasRole('PLATFORM_OPERATOR')) {
    throw forbidden('Only platform operators may grant or revoke PLATFORM_OPERATOR');
  }
}

/** Scheme admins see everyone in their organisation; anyone else sees only themselves. */
export async function findPerson(context: RequestContext, id: string): Promise<Person | null> {
  if (!context.hasRole('SCHEME_ADMIN') && context.viewer.personId !== id) {
    throw forbidden('Only scheme admins may look up other people');
  }
  return context.loaders.use(personById).load(id);
}

export function listPeople(context: RequestContext, args: ConnectionArgs, filter: PeopleFilter = {}): Promise<ConnectionResult<Person>> {
  context.requireRole('SCHEME_ADMIN');
  const query = context.db
    .getRepository(Person)
    .createQueryBuilder('person')
    .where('person.tenant_id = :tenantId', { tenantId: context.tenantId });
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query.andWhere(
      new Brackets((where) =>
        where.where('person.display_name ILIKE :pattern', { pattern }).orWhere('person.work_email ILIKE :pattern', { pattern }),
      ),
    );
  }
  if (filter.status) query.andWhere('person.status = :status', { status: filter.status });
  if (filter.area) query.andWhere('person.area = :area', { area: filter.area });
  if (filter.role) {
    query.andWhere(
      `exists (select 1 from role_assignment ra where ra.tenant_id = person.tenant_id and ra.person_id = person.id
                 and ra.role = :role and ra.revoked_at is null)`,
      { role: filter.role },
    );
  }
  return paginate(query, args, { column: 'person.display_name', value: (row) => row.displayName });
}

export async function activeRoles(context: RequestContext, person: Person): Promise<OrganisationRole[]> {
  const assignments = await context.loaders.use(activeRoleAssignmentsByPersonId).load(person.id);
  return assignments.map((assignment) => assignment.role);
}

export async function createPerson(context: RequestContext, input: CreatePersonInput): Promise<Person> {
  context.requireRole('SCHEME_ADMIN');
  const roles = [...new Set(input.roles ?? [])];
  roles.forEach((role) => requireMayGrant(context, role));
  const person = context.db.getRepository(Person).create({
    tenantId: context.tenantId,
    id: randomUUID(),
    subject: input.subject ?? null,
    displayName: input.displayName.trim(),
    workEmail: input.workEmail.trim(),
    employmentType: input.employmentType,
    area: input.area?.trim() || null,
    status: 'ACTIVE',
  });
  await context.db.getRepository(Person).insert(person);
  for (const role of roles) await insertAssignment(context, person.id, role);
  return (await context.db.getRepository(Person).findOneBy({ tenantId: context.tenantId, id: person.id })) as Person;
}

export async function updatePerson(context: RequestContext, input: UpdatePersonInput): Promise<Person> {
  context.requireRole('SCHEME_ADMIN');
  const id = idOf('Person', input.id);
  const repository = context.db.getRepository(Person);
  const person = await repository.findOneBy({ tenantId: context.tenantId, id });
  if (!person) throw notFound('Person');
  if (input.status === 'INACTIVE' && id === context.viewer.personId) {
    throw badUserInput('You cannot deactivate yourself', [{ field: 'status', message: 'Ask another scheme admin' }]);
  }
  const changes: Partial<Person> = {};
  if (input.displayName !== undefined) changes.displayName = input.displayName.trim();
  if (input.workEmail !== undefined) changes.workEmail = input.workEmail.trim();
  if (input.employmentType !== undefined) changes.employmentType = input.employmentType;
  if (input.area !== undefined) changes.area = input.area?.trim() || null;
  if (input.subject !== undefined) changes.subject = input.subject;
  if (input.status !== undefined) changes.status = input.status;
  if (Object.keys(changes).length > 0) {
    await repository.update({ tenantId: context.tenantId, id }, changes);
  }
  return (await repository.findOneBy({ tenantId: context.tenantId, id })) as Person;
}

async function insertAssignment(context: RequestContext, personId: string, role: OrganisationRole): Promise<RoleAssignment> {
  const assignment = context.db.getRepository(RoleAssignment).create({
    tenantId: context.tenantId,
    id: randomUUID(),
    personId,
    role,
    grantedBy: context.viewer.personId,
    grantedAt: context.now,
    revokedAt: null,
    revokedBy: null,
  });
  await context.db.getRepository(RoleAssignment).insert(assignment);
  return assignment;
}

/** Grants a role; granting one the person already holds returns the existing assignment. */
export async function assignRole(
  context: RequestContext,
  input: RoleAssignmentInput,
): Promise<{ person: Person; roleAssignment: RoleAssignment }> {
  context.requireRole('SCHEME_ADMIN');
  requireMayGrant(context, input.role);
  const personId = idOf('Person', input.personId, 'personId');
  const person = await context.db.getRepository(Person).findOneBy({ tenantId: context.tenantId, id: personId });
  if (!person) throw notFound('Person');
  const active = await context.db
    .getRepository(RoleAssignment)
    .findOneBy({ tenantId: context.tenantId, personId, role: input.role, revokedAt: IsNull() });
  const roleAssignment = active ?? (await insertAssignment(context, personId, input.role));
  return { person, roleAssignment };
}

export async function revokeRole(
  context: RequestContext,
  input: RoleAssignmentInput,
): Promise<{ person: Person; roleAssignment: RoleAssignment | null }> {
  context.requireRole('SCHEME_ADMIN');
  requireMayGrant(context, input.role);
  const personId = idOf('Person', input.personId, 'personId');
  const person = await context.db.getRepository(Person).findOneBy({ tenantId: context.tenantId, id: personId });
  if (!person) throw notFound('Person');
  if (personId === context.viewer.personId && input.role === 'SCHEME_ADMIN') {
    throw badUserInput('You cannot revoke your own SCHEME_ADMIN role', [{ field: 'role', message: 'Ask another scheme admin' }]);
  }
  const repository = context.db.getRepository(RoleAssignment);
  const active = await repository.findOneBy({ tenantId: context.tenantId, personId, role: input.role, revokedAt: IsNull() });
  if (!active) return { person, roleAssignment: null };
  active.revokedAt = context.now;
  active.revokedBy = context.viewer.personId;
  await repository.update({ tenantId: context.tenantId, id: active.id }, { revokedAt: active.revokedAt, revokedBy: active.revokedBy });
  return { person, roleAssignment: active };
}
