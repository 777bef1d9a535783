import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../platform/context';
import { PLATFORM_ORGANISATION_KIND, type OrganisationRole } from '../../platform/auth/roles';
import { recordAudit } from '../../platform/audit';
import { conflict, forbidden, notFound } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { paginate } from '../../platform/graphql/paginate';
import type { ConnectionArgs, ConnectionResult } from '../../platform/graphql/relay';
import { PeopleAuditAction } from './audit-actions';
import { Person } from './person.entity';
import { activeRoleAssignmentsByPersonId, roleAssignmentHistoryByPersonId } from './people.loaders';
import { RoleAssignment, type RoleAssignmentStatus } from './role-assignment.entity';
import type { RoleAssignmentDecisionInput, RoleAssignmentInput } from './person.types';

/*
 * Who may give whom which role (docs/security.md, separation of duties):
 * - scheme admins grant and revoke organisation roles, but never their own: a role someone
 *   gives themselves is exactly the access nobody else decided they should have;
 * - AUDITOR opens every case record of the organisation to its holder (subject access), so it
 *   takes two scheme admins: one asks, a second one (neither the asker nor the grantee)
 *   approves. The data protection officer is the organisation's own appointment, so the
 *   organisation decides it, with four eyes, rather than depending on the platform's staff;
 * - PLATFORM_OPERATOR exists only in the platform's own operator organisation, and only an
 *   operator there hands it out.
 * Every request, grant, approval, refusal and revocation is audited with before and after.
 */

/** Roles whose grant needs a second scheme admin's approval. */
export const FOUR_EYES_ROLES: ReadonlySet<OrganisationRole> = new Set<OrganisationRole>(['AUDITOR']);

function requireMayChangeRole(context: RequestContext, personId: string, role: OrganisationRole): string {
  const me = context.requirePersonId('Changing roles');
  if (personId === me) throw forbidden('Nobody grants or revokes their own roles: ask another scheme admin');
  if (role === 'PLATFORM_OPERATOR') {
    if (context.viewer.organisation.kind !== PLATFORM_ORGANISATION_KIND) {
      throw forbidden("PLATFORM_OPERATOR is held only in the platform's operator organisation");
    }
    if (!context.hasRole('PLATFORM_OPERATOR')) throw forbidden('Only platform operators may grant or revoke PLATFORM_OPERATOR');
  }
  return me;
}

async function personOf(context: RequestContext, globalId: string): Promise<Person> {
  const personId = idOf('Person', globalId, 'personId');
  const person = await context.db.getRepository(Person).findOneBy({ tenantId: context.tenantId, id: personId });
  if (!person) throw notFound('Person');
  return person;
}

/** The person's roles in effect, read afresh (not from the request's loaders, which a change makes stale). */
async function rolesInEffect(context: RequestContext, personId: string): Promise<OrganisationRole[]> {
  const rows = await context.db.getRepository(RoleAssignment).find({
    where: { tenantId: context.tenantId, personId, status: 'ACTIVE' },
    order: { role: 'ASC' },
  });
  return rows.map((row) => row.role);
}

/** Forget what this request's loaders read about the person's roles: they just changed. */
function forgetRolesOf(context: RequestContext, personId: string): void {
  context.loaders.use(activeRoleAssignmentsByPersonId).clear(personId);
  context.loaders.use(roleAssignmentHistoryByPersonId).clear(personId);
}

async function auditRoleChange(
  context: RequestContext,
  action: string,
  assignment: RoleAssignment,
  change: { before: RoleAssignmentStatus | null; rolesBefore: OrganisationRole[]; reason?: string | null },
): Promise<void> {
  await recordAudit(context, {
    action,
    entityType: 'Person',
    entityId: assignment.personId,
    purpose: change.reason ?? null,
    details: {
      role: assignment.role,
      roleAssignmentId: assignment.id,
      before: { status: change.before, roles: change.rolesBefore },
      after: { status: assignment.status, roles: await rolesInEffect(context, assignment.personId) },
    },
  });
}

/** The live (pending or active) assignment of a role, if any. */
function liveAssignment(context: RequestContext, personId: string, role: OrganisationRole): Promise<RoleAssignment | null> {
  return context.db
    .getRepository(RoleAssignment)
    .createQueryBuilder('ra')
    .where('ra.tenant_id = :tenantId and ra.person_id = :personId and ra.role = :role', { tenantId: context.tenantId, personId, role })
    .andWhere(`ra.status in ('PENDING', 'ACTIVE')`)
    .getOne();
}

/**
 * Grants one role, or records the request for a four-eyes role; a role already held or
 * already requested returns that assignment unchanged.
 */
async function grantRole(context: RequestContext, person: Person, role: OrganisationRole): Promise<RoleAssignment> {
  const me = requireMayChangeRole(context, person.id, role);
  const live = await liveAssignment(context, person.id, role);
  if (live) return live;
  const rolesBefore = await rolesInEffect(context, person.id);
  const pending = FOUR_EYES_ROLES.has(role);
  const repository = context.db.getRepository(RoleAssignment);
  const assignment = repository.create({
    tenantId: context.tenantId,
    id: randomUUID(),
    personId: person.id,
    role,
    status: pending ? 'PENDING' : 'ACTIVE',
    requestedBy: me,
    requestedAt: context.now,
    approvedBy: null,
    approvedAt: null,
    grantedBy: pending ? null : me,
    grantedAt: pending ? null : context.now,
    rejectedBy: null,
    rejectedAt: null,
    revokedBy: null,
    revokedAt: null,
  });
  await repository.insert(assignment);
  forgetRolesOf(context, person.id);
  const action = pending ? PeopleAuditAction.ROLE_GRANT_REQUESTED : PeopleAuditAction.ROLE_GRANTED;
  await auditRoleChange(context, action, assignment, { before: null, rolesBefore });
  return assignment;
}

/** Grants several roles to a person (createPerson), each as assignRole would. */
export async function grantRoles(context: RequestContext, person: Person, roles: readonly OrganisationRole[]): Promise<void> {
  for (const role of roles) await grantRole(context, person, role);
}

/** Grants a role, or asks a second scheme admin to approve it (AUDITOR); idempotent. */
export async function assignRole(context: RequestContext, input: RoleAssignmentInput): Promise<{ person: Person; roleAssignment: RoleAssignment }> {
  const person = await personOf(context, input.personId);
  return { person, roleAssignment: await grantRole(context, person, input.role) };
}

/** Ends a role in effect; null when the person does not hold it (a pending request is rejected instead). */
export async function revokeRole(
  context: RequestContext,
  input: RoleAssignmentInput,
): Promise<{ person: Person; roleAssignment: RoleAssignment | null }> {
  const person = await personOf(context, input.personId);
  const me = requireMayChangeRole(context, person.id, input.role);
  const repository = context.db.getRepository(RoleAssignment);
  const active = await repository.findOneBy({ tenantId: context.tenantId, personId: person.id, role: input.role, status: 'ACTIVE' });
  if (!active) return { person, roleAssignment: null };
  const rolesBefore = await rolesInEffect(context, person.id);
  Object.assign(active, { status: 'REVOKED', revokedAt: context.now, revokedBy: me });
  await repository.update({ tenantId: context.tenantId, id: active.id }, { status: 'REVOKED', revokedAt: context.now, revokedBy: me });
  forgetRolesOf(context, person.id);
  await auditRoleChange(context, PeopleAuditAction.ROLE_REVOKED, active, { before: 'ACTIVE', rolesBefore });
  return { person, roleAssignment: active };
}

/**
 * Decides a pending request: the decider is a scheme admin who is not the person who would
 * hold the role; an approver is not the requester either (that is the second pair of eyes).
 * The update is conditional on the request still being PENDING, so two admins deciding at
 * once get one decision and one CONFLICT.
 */
async function decide(
  context: RequestContext,
  input: RoleAssignmentDecisionInput,
  decision: 'APPROVE' | 'REJECT',
): Promise<{ person: Person; roleAssignment: RoleAssignment }> {
  const me = context.requirePersonId('Deciding role requests');
  const id = idOf('RoleAssignment', input.roleAssignmentId, 'roleAssignmentId');
  const repository = context.db.getRepository(RoleAssignment);
  const assignment = await repository.findOneBy({ tenantId: context.tenantId, id });
  if (!assignment) throw notFound('Role assignment');
  if (assignment.status !== 'PENDING') throw conflict(`This role assignment is ${assignment.status}, not waiting for a decision`);
  if (assignment.personId === me) throw forbidden('Nobody decides a request for their own role: another scheme admin must');
  if (decision === 'APPROVE' && assignment.requestedBy === me) {
    throw forbidden('A second scheme admin must approve: the admin who asked for the role cannot');
  }
  const rolesBefore = await rolesInEffect(context, assignment.personId);
  const changes: Partial<RoleAssignment> =
    decision === 'APPROVE'
      ? { status: 'ACTIVE', approvedBy: me, approvedAt: context.now, grantedBy: me, grantedAt: context.now }
      : { status: 'REJECTED', rejectedBy: me, rejectedAt: context.now };
  const result = await repository
    .createQueryBuilder()
    .update(RoleAssignment)
    .set(changes)
    .where('tenant_id = :tenantId and id = :id and status = :pending', { tenantId: context.tenantId, id, pending: 'PENDING' })
    .execute();
  if (!result.affected) throw conflict('This role assignment was decided meanwhile');
  Object.assign(assignment, changes);
  forgetRolesOf(context, assignment.personId);
  const action = decision === 'APPROVE' ? PeopleAuditAction.ROLE_GRANT_APPROVED : PeopleAuditAction.ROLE_GRANT_REJECTED;
  await auditRoleChange(context, action, assignment, { before: 'PENDING', rolesBefore, reason: input.reason?.trim() || null });
  const person = (await context.db.getRepository(Person).findOneBy({ tenantId: context.tenantId, id: assignment.personId })) as Person;
  return { person, roleAssignment: assignment };
}

export const approveRoleAssignment = (context: RequestContext, input: RoleAssignmentDecisionInput) => decide(context, input, 'APPROVE');
export const rejectRoleAssignment = (context: RequestContext, input: RoleAssignmentDecisionInput) => decide(context, input, 'REJECT');

/** Requests waiting for a second scheme admin, oldest first. */
export function listPendingRoleAssignments(context: RequestContext, args: ConnectionArgs): Promise<ConnectionResult<RoleAssignment>> {
  const query = context.db
    .getRepository(RoleAssignment)
    .createQueryBuilder('ra')
    .where('ra.tenant_id = :tenantId', { tenantId: context.tenantId })
    .andWhere(`ra.status = 'PENDING'`);
  return paginate(query, args, { column: 'ra.requested_at', value: (row) => row.requestedAt });
}

/** node(id:) for a role assignment: scheme admins, as Person.roleAssignments. */
export async function findRoleAssignment(context: RequestContext, id: string): Promise<RoleAssignment | null> {
  context.requireRole('SCHEME_ADMIN');
  return context.db.getRepository(RoleAssignment).findOneBy({ tenantId: context.tenantId, id });
}
