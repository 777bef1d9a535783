import { randomUUID } from 'node:crypto';
import { Brackets } from 'typeorm';
import type { RequestContext } from '../../platform/context';
import type { OrganisationRole } from '../../platform/auth/roles';
import { recordAudit } from '../../platform/audit';
import { badUserInput, conflict, forbidden, notFound } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { paginate } from '../../platform/graphql/paginate';
import type { ConnectionArgs, ConnectionResult } from '../../platform/graphql/relay';
import { PeopleAuditAction } from './audit-actions';
import { Person } from './person.entity';
import { subjectProblem } from './person-subject';
import { activeRoleAssignmentsByPersonId, personById } from './people.loaders';
import { grantRoles } from './role-assignments.service';
import type { CreatePersonInput, PeopleFilter, UpdatePersonInput } from './person.types';

/** Scheme admins see everyone in their organisation; anyone else sees only themselves. */
export async function findPerson(context: RequestContext, id: string): Promise<Person | null> {
  if (!context.hasRole('SCHEME_ADMIN') && context.viewer.personId !== id) {
    throw forbidden('Only scheme admins may look up other people');
  }
  return context.loaders.use(personById).load(id);
}

export function listPeople(context: RequestContext, args: ConnectionArgs, filter: PeopleFilter = {}): Promise<ConnectionResult<Person>> {
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
                 and ra.role = :role and ra.status = 'ACTIVE')`,
      { role: filter.role },
    );
  }
  return paginate(query, args, { column: 'person.display_name', value: (row) => row.displayName });
}

/** The roles the platform records for a person and that are in effect (pending requests are not). */
export async function activeRoles(context: RequestContext, person: Person): Promise<OrganisationRole[]> {
  const assignments = await context.loaders.use(activeRoleAssignmentsByPersonId).load(person.id);
  return assignments.map((assignment) => assignment.role);
}

/** The fields of a person an audit event shows before and after a change. */
const AUDITED_FIELDS = ['subject', 'displayName', 'workEmail', 'employmentType', 'area', 'status'] as const;
type AuditedField = (typeof AUDITED_FIELDS)[number];

function snapshot(person: Person, fields: readonly AuditedField[] = AUDITED_FIELDS): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, person[field]]));
}

/** CONFLICT when the subject already belongs to someone in the organisation. */
export async function requireSubjectFree(context: RequestContext, subject: string): Promise<void> {
  const holder = await context.db.getRepository(Person).findOneBy({ tenantId: context.tenantId, subject });
  if (holder) throw conflict('That identity (subject) is already linked to another person in this organisation');
}

export function requireValidSubject(subject: string, field = 'subject'): void {
  const problem = subjectProblem(subject, field);
  if (problem) throw badUserInput('The subject is not valid', [problem]);
}

export async function createPerson(context: RequestContext, input: CreatePersonInput): Promise<Person> {
  context.requirePersonId('Adding people');
  const subject = input.subject ?? null;
  if (subject !== null) {
    requireValidSubject(subject);
    await requireSubjectFree(context, subject);
  }
  const repository = context.db.getRepository(Person);
  const person = repository.create({
    tenantId: context.tenantId,
    id: randomUUID(),
    subject,
    displayName: input.displayName.trim(),
    workEmail: input.workEmail.trim(),
    employmentType: input.employmentType,
    area: input.area?.trim() || null,
    status: 'ACTIVE',
  });
  await repository.insert(person);
  const created = (await repository.findOneBy({ tenantId: context.tenantId, id: person.id })) as Person;
  await recordAudit(context, {
    action: PeopleAuditAction.PERSON_CREATED,
    entityType: 'Person',
    entityId: created.id,
    details: { before: null, after: snapshot(created) },
  });
  await grantRoles(context, created, [...new Set(input.roles ?? [])]);
  return created;
}

export async function updatePerson(context: RequestContext, input: UpdatePersonInput): Promise<Person> {
  context.requirePersonId('Changing people');
  const id = idOf('Person', input.id);
  const repository = context.db.getRepository(Person);
  const before = await repository.findOneBy({ tenantId: context.tenantId, id });
  if (!before) throw notFound('Person');
  if (input.status === 'INACTIVE' && id === context.viewer.personId) {
    throw badUserInput('You cannot deactivate yourself', [{ field: 'status', message: 'Ask another scheme admin' }]);
  }
  // The subject is deliberately not changeable here: it is what makes a token this person, so a
  // scheme admin who could set it could become anyone (see linkPersonIdentity).
  const changes: Partial<Person> = {};
  if (input.displayName !== undefined) changes.displayName = input.displayName.trim();
  if (input.workEmail !== undefined) changes.workEmail = input.workEmail.trim();
  if (input.employmentType !== undefined) changes.employmentType = input.employmentType;
  if (input.area !== undefined) changes.area = input.area?.trim() || null;
  if (input.status !== undefined) changes.status = input.status;
  const changed = (Object.keys(changes) as AuditedField[]).filter((field) => changes[field] !== before[field]);
  if (changed.length === 0) return before;
  await repository.update({ tenantId: context.tenantId, id }, changes);
  const after = (await repository.findOneBy({ tenantId: context.tenantId, id })) as Person;
  context.loaders.use(personById).clear(id).prime(id, after);
  await recordAudit(context, {
    action: PeopleAuditAction.PERSON_UPDATED,
    entityType: 'Person',
    entityId: id,
    details: { before: snapshot(before, changed), after: snapshot(after, changed) },
  });
  return after;
}

/**
 * The organisation's people by work email, compared as typed in spreadsheets (any case): one
 * statement for a whole import. Lower-cased emails in, a map from lower-cased email to id out.
 */
export async function personIdsByWorkEmail(context: RequestContext, emails: readonly string[]): Promise<Map<string, string>> {
  const people: Array<{ id: string; email: string }> = await context.db.query(
    `select id, lower(work_email) as email from person where tenant_id = $1 and lower(work_email) = any($2::text[])`,
    [context.tenantId, emails],
  );
  return new Map(people.map((person) => [person.email, person.id]));
}
