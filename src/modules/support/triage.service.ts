import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { recordAudit } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { ErrorCode, PlatformError, badUserInput, conflict, forbidden, notFound } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { paginate } from '../../platform/graphql/paginate';
import type { ConnectionArgs, ConnectionResult } from '../../platform/graphql/relay';
import { Milo, callerMemberships, effectiveStatusOf, miloById } from '../milos';
import { type Scheme, schemeById } from '../schemes';
import { isLeadOf } from './support.policy';
import { SupportAssignment } from './support-assignment.entity';
import { SupportRequest } from './support-request.entity';
import { assignmentsByRequestId, openCaseloadByMiloId, openRequestsByMiloId, supportRequestById } from './support.loaders';
import type { AssignSupportRequestInput, SupportRequestsFilter } from './support.types';
import {
  type AssignmentRefusal,
  assignmentDecision,
  byQueueOrder,
  newestFirstKey,
  newestFirstKeySql,
  queueKey,
  queueKeySql,
  spareCapacity,
  targetCutoff,
} from './triage';

/*
 * The Lead MILO's side: the queue, the scheme's requests, assigning and reassigning, and each
 * MILO's caseload. Only the scheme's ACTIVE Lead MILOs triage (from their membership today).
 */

const REFUSAL_MESSAGES: Record<AssignmentRefusal, string> = {
  MILO_NOT_ACTIVE: 'The MILO is not ACTIVE today',
  AT_CAPACITY: "The MILO's open caseload has reached their capacity",
  MILO_WITHDRAWN: 'The MILO has withdrawn from the scheme',
};

/** The scheme, when the caller is one of its ACTIVE Leads today; NOT_FOUND for another organisation's. */
async function ledScheme(context: RequestContext, schemeGlobalId: string): Promise<Scheme> {
  const schemeId = idOf('Scheme', schemeGlobalId, 'schemeId');
  const scheme = await context.loaders.use(schemeById).load(schemeId);
  if (!scheme) throw notFound('Scheme');
  if (!(await isLeadOf(context, schemeId))) throw forbidden("Only the scheme's active Lead MILOs triage its support requests");
  return scheme;
}

/** WAITING requests, most urgent first, then oldest first. */
export async function supportQueue(context: RequestContext, schemeGlobalId: string, args: ConnectionArgs): Promise<ConnectionResult<SupportRequest>> {
  const scheme = await ledScheme(context, schemeGlobalId);
  const query = context.db
    .getRepository(SupportRequest)
    .createQueryBuilder('request')
    .where('request.tenant_id = :tenant and request.scheme_id = :scheme and request.status = :waiting', {
      tenant: context.tenantId,
      scheme: scheme.id,
      waiting: 'WAITING',
    });
  return paginate(query, args, { column: queueKeySql('request'), value: (row) => queueKey(row.urgency, row.createdAt) });
}

/** The scheme's requests, newest first, filtered. */
export async function listSupportRequests(
  context: RequestContext,
  schemeGlobalId: string,
  args: ConnectionArgs,
  filter: SupportRequestsFilter = {},
): Promise<ConnectionResult<SupportRequest>> {
  const scheme = await ledScheme(context, schemeGlobalId);
  const query = context.db
    .getRepository(SupportRequest)
    .createQueryBuilder('request')
    .where('request.tenant_id = :tenant and request.scheme_id = :scheme', { tenant: context.tenantId, scheme: scheme.id });
  if (filter.status) query.andWhere('request.status = :status', { status: filter.status });
  if (filter.assignedMiloId) {
    query.andWhere('request.assigned_milo_id = :milo', { milo: idOf('Milo', filter.assignedMiloId, 'filter.assignedMiloId') });
  }
  if (filter.waitingBeyondTarget != null) {
    const beyond = `(request.status = 'WAITING' and request.created_at < :cutoff)`;
    query.andWhere(filter.waitingBeyondTarget ? beyond : `not ${beyond}`, { cutoff: targetCutoff(context.now, scheme.supportTargetHours) });
  }
  return paginate(query, args, { column: newestFirstKeySql('request.created_at'), value: (row) => newestFirstKey(row.createdAt) });
}

function refusalError(refusals: AssignmentRefusal[], overridable: boolean): PlatformError {
  const message = `${refusals.map((reason) => REFUSAL_MESSAGES[reason]).join('; ')}${overridable ? ': give an overrideReason to assign anyway' : ''}`;
  return new PlatformError(ErrorCode.BAD_USER_INPUT, message, {
    reason: refusals[0],
    reasons: refusals,
    overridable,
    problems: [{ field: 'miloId', message }],
  });
}

/** Forget what this request cached about rows an assignment changed. */
function forgetAssignment(context: RequestContext, request: SupportRequest, miloIds: Array<string | null>): void {
  context.loaders.use(supportRequestById).clear(request.id);
  context.loaders.use(assignmentsByRequestId).clear(request.id);
  for (const miloId of miloIds) {
    if (!miloId) continue;
    context.loaders.use(openCaseloadByMiloId).clear(miloId);
    context.loaders.use(openRequestsByMiloId).clear(miloId);
  }
}

/**
 * Assigns a WAITING request, or reassigns an ASSIGNED one, to a MILO of the same scheme.
 * Everything is checked before anything is written, so a refusal changes nothing. The request
 * row is locked first, so two Leads assigning it at once apply one after the other (the second
 * sees the first's MILO); the MILO row next, so two assignments to one MILO cannot both fit
 * the last place in their caseload.
 */
export async function assignSupportRequest(
  context: RequestContext,
  input: AssignSupportRequestInput,
): Promise<{ supportRequest: SupportRequest; assignment: SupportAssignment; overridden: AssignmentRefusal[] }> {
  const me = context.requirePersonId('Assigning a request');
  const requestId = idOf('SupportRequest', input.requestId, 'requestId');
  const miloId = idOf('Milo', input.miloId, 'miloId');
  const request = await context.db
    .getRepository(SupportRequest)
    .findOne({ where: { tenantId: context.tenantId, id: requestId }, lock: { mode: 'pessimistic_write' } });
  if (!request) throw notFound('Support request');
  if (!(await isLeadOf(context, request.schemeId))) throw forbidden("Only the scheme's active Lead MILOs assign its requests");
  if (request.status === 'CLOSED') throw conflict('The request is closed');

  const milo = await context.db.getRepository(Milo).findOne({ where: { tenantId: context.tenantId, id: miloId }, lock: { mode: 'pessimistic_write' } });
  if (!milo) throw notFound('MILO');
  if (milo.schemeId !== request.schemeId) {
    throw badUserInput('The MILO is not a member of the request’s scheme', [{ field: 'miloId', message: 'Choose a MILO of the same scheme' }]);
  }
  if (request.assignedMiloId === milo.id) {
    throw badUserInput('The request is already assigned to this MILO', [{ field: 'miloId', message: 'Already assigned to them' }]);
  }
  // Counted under the MILO's lock, not from a loader: the last committed caseload decides.
  const [{ open }]: Array<{ open: number }> = await context.db.query(
    `select count(*)::int as open from support_request where tenant_id = $1 and assigned_milo_id = $2 and status = 'ASSIGNED'`,
    [context.tenantId, milo.id],
  );
  const overrideReason = input.overrideReason?.trim() || null;
  const decision = assignmentDecision({ status: await effectiveStatusOf(context, milo), openCaseload: open, capacity: milo.capacity, overrideReason });
  if (!decision.allowed) throw refusalError(decision.refusals, decision.overridable);

  const previousMiloId = request.assignedMiloId;
  await context.db.query(
    `update support_request set status = 'ASSIGNED', assigned_milo_id = $3, assigned_at = $4, updated_at = now() where tenant_id = $1 and id = $2`,
    [context.tenantId, request.id, milo.id, context.now],
  );
  const repository = context.db.getRepository(SupportAssignment);
  const assignment = repository.create({
    tenantId: context.tenantId,
    id: randomUUID(),
    supportRequestId: request.id,
    miloId: milo.id,
    assignedBy: me,
    assignedAt: context.now,
    // Kept only when it beat a check: it is the Lead's account of why.
    overrideReason: decision.overridden.length ? overrideReason : null,
  });
  await repository.insert(assignment);
  await recordAudit(context, {
    action: previousMiloId ? 'SUPPORT_REQUEST_REASSIGNED' : 'SUPPORT_REQUEST_ASSIGNED',
    entityType: 'SupportRequest',
    entityId: request.id,
    // The override's wording stays on the assignment; the log records that checks were overridden.
    details: { miloId: milo.id, previousMiloId, assignmentId: assignment.id, overridden: decision.overridden, openCaseloadBefore: open, capacity: milo.capacity },
  });
  forgetAssignment(context, request, [milo.id, previousMiloId]);
  const supportRequest = (await context.loaders.use(supportRequestById).load(request.id)) as SupportRequest;
  return { supportRequest, assignment, overridden: decision.overridden };
}

export interface MiloCaseload {
  milo: Milo;
  openCaseload: number;
  capacity: number;
  spare: number;
}

/**
 * Each MILO's open caseload against capacity: every member ACTIVE today, and any other member
 * still holding open cases (a suspended MILO's cases need a new home). Most spare first.
 */
export async function caseloadsOf(context: RequestContext, schemeGlobalId: string): Promise<MiloCaseload[]> {
  const scheme = await ledScheme(context, schemeGlobalId);
  const members = await context.db.getRepository(Milo).find({ where: { tenantId: context.tenantId, schemeId: scheme.id }, order: { id: 'ASC' } });
  for (const milo of members) context.loaders.use(miloById).prime(milo.id, milo);
  const [statuses, counts] = await Promise.all([
    Promise.all(members.map((milo) => effectiveStatusOf(context, milo))),
    context.loaders.use(openCaseloadByMiloId).loadMany(members.map((milo) => milo.id)),
  ]);
  const caseloads = members.flatMap((milo, index): MiloCaseload[] => {
    const open = typeof counts[index] === 'number' ? (counts[index] as number) : 0;
    if (statuses[index] !== 'ACTIVE' && open === 0) return [];
    return [{ milo, openCaseload: open, capacity: milo.capacity, spare: spareCapacity(milo.capacity, open) }];
  });
  return caseloads.sort((a, b) => b.spare - a.spare || (a.milo.area ?? '').localeCompare(b.milo.area ?? '', 'en-GB') || a.milo.id.localeCompare(b.milo.id));
}

/** The caller's open requests (as any membership), most urgent first, then oldest. */
export async function myCaseload(context: RequestContext): Promise<SupportRequest[]> {
  const memberships = await callerMemberships(context).all();
  if (!memberships.length) return [];
  const rows = await context.db.getRepository(SupportRequest).find({
    where: { tenantId: context.tenantId, assignedMiloId: In(memberships.map((milo) => milo.id)), status: 'ASSIGNED' },
  });
  return rows.sort(byQueueOrder);
}

export function openCaseloadOf(context: RequestContext, milo: Milo): Promise<number> {
  return context.loaders.use(openCaseloadByMiloId).load(milo.id);
}

/** A MILO's open requests: to the MILO themself and the scheme's Leads (scheme admins see counts, not cases). */
export async function openSupportRequestsOf(context: RequestContext, milo: Milo): Promise<SupportRequest[]> {
  if (context.viewer.personId !== milo.personId && !(await isLeadOf(context, milo.schemeId))) {
    throw forbidden("Only the MILO and the scheme's active Lead MILOs may see a MILO's cases");
  }
  const rows = await context.loaders.use(openRequestsByMiloId).load(milo.id);
  return [...rows].sort(byQueueOrder);
}
