import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { ErrorCode, PlatformError, badUserInput, conflict, forbidden, notFound } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { paginate, paginateSorted, sortBy } from '../../platform/graphql/paginate';
import type { ConnectionArgs, ConnectionResult } from '../../platform/graphql/relay';
import { Person } from '../people';
import { Scheme } from '../schemes';
import { addDays, type IsoDate } from '../../platform/calendar';
import { eligibilityOf, type Eligibility } from '../training';
import type { SchemeRoleCode } from '../schemes';
import { callerMemberships } from './caller-memberships';
import { effectiveStatusOf, effectiveStatusWithLapse, milosByPersonId } from './effective-status';
import { mayOverseeScheme, mayOverseeSomeScheme, maySeeMilo } from './milo.policy';
import { NEEDS_ELIGIBILITY, canMove, nextStatuses, storedStatusesReadingAs, type MiloStatus } from './milo-lifecycle';
import { MiloStatusChange } from './milo-status-change.entity';
import { Milo } from './milo.entity';
import type { ChangeMiloStatusInput, EnrolMiloInput, MilosFilter, UpdateMiloInput } from './milo.types';
import { miloById, milosByLeadId, statusHistoryByMiloId } from './milos.loaders';

/*
 * Status is computed on read, not swept: an ACTIVE MILO whose training has run out reads as
 * LAPSED from that day on (effectiveStatusOf), in every query, with no job to schedule, miss
 * or run twice, and with the answer always agreeing with the eligibility shown beside it. The
 * stored history catches up with the clock the next time someone moves the MILO: the lapse is
 * written first, dated the day the training ran out and changed by the platform.
 */

const DEFAULT_CAPACITY = 5;
const AUTOMATIC_LAPSE_REASON = 'Training requirement expired';
/** Most memberships one request computes effective statuses for; far above any real scheme. */
const MAX_MEMBERS_COMPUTED = 5000;
const ROLE_NAMES: Record<SchemeRoleCode, string> = { MILO: 'MILO', LEAD_MILO: 'Lead MILO' };

const subjectOf = (milo: Milo) => ({ personId: milo.personId, schemeId: milo.schemeId, role: milo.roleCode });

/** History needs a "who": callers without a person record in the organisation cannot move MILOs. */
const actorPersonId = (context: RequestContext) => context.requirePersonId('Changing MILO memberships');

function cleanArea(area: string | null | undefined): string | null {
  return area?.trim() || null;
}

/** Forget what this request cached about a membership that has just been written. */
function forgetMilo(context: RequestContext, milo: Milo): void {
  context.loaders.use(miloById).clear(milo.id);
  context.loaders.use(statusHistoryByMiloId).clear(milo.id);
  context.loaders.use(milosByPersonId).clear(milo.personId);
  context.loaders.use(milosByLeadId).clearAll();
}

async function reload(context: RequestContext, milo: Milo): Promise<Milo> {
  forgetMilo(context, milo);
  return (await context.loaders.use(miloById).load(milo.id)) as Milo;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** node(id:) and the payloads: overseers of the scheme and the MILO themself. */
export async function findMilo(context: RequestContext, id: string): Promise<Milo | null> {
  const milo = await context.loaders.use(miloById).load(id);
  if (!milo) return null;
  if (!(await maySeeMilo(context, milo))) throw forbidden("Only scheme admins, the scheme's active Lead MILOs and the MILO themself may see a membership");
  return milo;
}

/** The scheme, when the caller oversees it: NOT_FOUND for other organisations' schemes. */
async function overseenScheme(context: RequestContext, schemeGlobalId: string): Promise<string> {
  const schemeId = idOf('Scheme', schemeGlobalId, 'schemeId');
  if (context.hasRole('SCHEME_ADMIN')) {
    const scheme = await context.db.getRepository(Scheme).findOneBy({ tenantId: context.tenantId, id: schemeId });
    if (!scheme) throw notFound('Scheme');
  } else if (!(await callerMemberships(context).isActiveLead(schemeId))) {
    throw forbidden("Only scheme admins and the scheme's active Lead MILOs may view its MILOs");
  }
  return schemeId;
}

async function requireOverseer(context: RequestContext, schemeId: string): Promise<void> {
  if (!(await mayOverseeScheme(context, schemeId))) {
    throw forbidden("Only scheme admins and the scheme's active Lead MILOs may view its MILOs");
  }
}

async function effectiveStatuses(context: RequestContext, milos: Milo[]): Promise<MiloStatus[]> {
  return Promise.all(milos.map((milo) => effectiveStatusOf(context, milo)));
}

/** Members of a scheme in the given stored statuses (all when omitted), bounded. */
async function membersOf(context: RequestContext, schemeId: string, statuses?: MiloStatus[]): Promise<Milo[]> {
  const query = context.db
    .getRepository(Milo)
    .createQueryBuilder('milo')
    .where('milo.tenant_id = :tenantId and milo.scheme_id = :schemeId', { tenantId: context.tenantId, schemeId });
  if (statuses) query.andWhere('milo.status in (:...statuses)', { statuses });
  const rows = await query.orderBy('milo.area', 'ASC').addOrderBy('milo.id', 'ASC').limit(MAX_MEMBERS_COMPUTED + 1).getMany();
  if (rows.length > MAX_MEMBERS_COMPUTED) throw badUserInput(`The scheme has more than ${MAX_MEMBERS_COMPUTED} matching members: narrow the filter`);
  return rows;
}

/** Connections order memberships by area, then id: a Lead reads their scheme place by place. */
const areaKey = (milo: Milo) => milo.area ?? '';
const AREA_ORDER = { column: `coalesce(milo.area, '')`, value: areaKey };

export async function listMilos(
  context: RequestContext,
  schemeGlobalId: string,
  args: ConnectionArgs,
  filter: MilosFilter = {},
): Promise<ConnectionResult<Milo>> {
  const schemeId = await overseenScheme(context, schemeGlobalId);
  const query = context.db
    .getRepository(Milo)
    .createQueryBuilder('milo')
    .where('milo.tenant_id = :tenantId and milo.scheme_id = :schemeId', { tenantId: context.tenantId, schemeId });
  if (filter.role) query.andWhere('milo.role_code = :role', { role: filter.role });
  if (filter.area) query.andWhere('milo.area = :area', { area: filter.area });
  if (filter.leadMiloId) query.andWhere('milo.lead_milo_id = :leadId', { leadId: idOf('Milo', filter.leadMiloId, 'filter.leadMiloId') });
  if (!filter.status) return paginate(query, args, AREA_ORDER);

  const stored = storedStatusesReadingAs(filter.status);
  query.andWhere('milo.status in (:...stored)', { stored });
  // Without a stored ACTIVE among the candidates the clock cannot change anyone's status.
  if (!stored.includes('ACTIVE')) return paginate(query, args, AREA_ORDER);

  const candidates = await query.orderBy('milo.id', 'ASC').limit(MAX_MEMBERS_COMPUTED + 1).getMany();
  if (candidates.length > MAX_MEMBERS_COMPUTED) {
    throw badUserInput(`More than ${MAX_MEMBERS_COMPUTED} MILOs to compute a status for: narrow by role, area or lead`);
  }
  const statuses = await effectiveStatuses(context, candidates);
  const matching = candidates.filter((_, index) => statuses[index] === filter.status);
  return paginateSorted(sortBy(matching, areaKey), args, areaKey);
}

/** The memberships a caller may see of a person: all for themself and admins, a Lead's own schemes otherwise. */
export async function membershipsOf(context: RequestContext, person: Person): Promise<Milo[]> {
  const memberships = await context.loaders.use(milosByPersonId).load(person.id);
  if (context.viewer.personId === person.id || context.hasRole('SCHEME_ADMIN')) return memberships;
  const led = await callerMemberships(context).schemesLed();
  if (led.size === 0) throw forbidden("Only the person, scheme admins and active Lead MILOs may see a person's memberships");
  return memberships.filter((milo) => led.has(milo.schemeId));
}

export async function leadOf(context: RequestContext, milo: Milo): Promise<Milo | null> {
  if (!milo.leadMiloId) return null;
  const lead = await context.loaders.use(miloById).load(milo.leadMiloId);
  if (lead && !(await maySeeMilo(context, lead))) throw forbidden("Only the scheme's overseers may see a Lead MILO's membership");
  return lead;
}

/** A Lead's team; a Lead who no longer oversees the scheme (suspended, lapsed) sees only themself in it. */
export async function teamOf(context: RequestContext, lead: Milo): Promise<Milo[]> {
  const team = await context.loaders.use(milosByLeadId).load(lead.id);
  if (await mayOverseeScheme(context, lead.schemeId)) return team;
  return team.filter((milo) => milo.personId === context.viewer.personId);
}

export function historyOf(context: RequestContext, milo: Milo): Promise<MiloStatusChange[]> {
  return context.loaders.use(statusHistoryByMiloId).load(milo.id);
}

export function eligibilityOfMilo(context: RequestContext, milo: Milo): Promise<Eligibility> {
  return eligibilityOf(context, subjectOf(milo));
}

/** Whole days from one calendar date to another. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export interface ExpiringTraining {
  milo: Milo;
  lapsesOn: IsoDate;
  daysLeft: number;
}

/** ACTIVE MILOs whose eligibility runs out within the next N days, soonest first. */
export async function milosWithTrainingExpiring(context: RequestContext, schemeGlobalId: string, withinDays: number): Promise<ExpiringTraining[]> {
  if (!Number.isInteger(withinDays) || withinDays < 1 || withinDays > 365) {
    throw badUserInput('"withinDays" must be between 1 and 365', [{ field: 'withinDays', message: 'Out of range' }]);
  }
  const schemeId = await overseenScheme(context, schemeGlobalId);
  const asOf = context.today;
  const horizon = addDays(asOf, withinDays);
  const recordedActive = await membersOf(context, schemeId, ['ACTIVE']);
  const statuses = await effectiveStatuses(context, recordedActive);
  const active = recordedActive.filter((_, index) => statuses[index] === 'ACTIVE');
  const eligibilities = await Promise.all(active.map((milo) => eligibilityOf(context, subjectOf(milo), asOf)));
  const expiring = active.flatMap((milo, index): ExpiringTraining[] => {
    const { nextLapseOn } = eligibilities[index];
    return nextLapseOn && nextLapseOn <= horizon ? [{ milo, lapsesOn: nextLapseOn, daysLeft: daysBetween(asOf, nextLapseOn) }] : [];
  });
  return expiring.sort((a, b) => a.lapsesOn.localeCompare(b.lapsesOn) || areaKey(a.milo).localeCompare(areaKey(b.milo)) || a.milo.id.localeCompare(b.milo.id));
}

export interface AreaCoverage {
  area: string | null;
  activeMilos: number;
  activeLeadMilos: number;
}

export interface SchemeCoverage {
  activeMilos: number;
  activeLeadMilos: number;
  areas: AreaCoverage[];
}

/**
 * Active MILOs today, in total and per area. Every area with a (not withdrawn) member is
 * listed, so an area whose MILOs are all suspended or lapsed shows as a gap with zero.
 */
export async function coverageOf(context: RequestContext, scheme: Scheme): Promise<SchemeCoverage> {
  await requireOverseer(context, scheme.id);
  const members = (await membersOf(context, scheme.id)).filter((milo) => milo.status !== 'WITHDRAWN');
  const statuses = await effectiveStatuses(context, members);
  const byArea = new Map<string | null, AreaCoverage>();
  const total = { activeMilos: 0, activeLeadMilos: 0 };
  members.forEach((milo, index) => {
    const area = byArea.get(milo.area) ?? { area: milo.area, activeMilos: 0, activeLeadMilos: 0 };
    byArea.set(milo.area, area);
    if (statuses[index] !== 'ACTIVE') return;
    const lead = milo.roleCode === 'LEAD_MILO' ? 1 : 0;
    for (const counts of [area, total]) {
      counts.activeMilos += 1;
      counts.activeLeadMilos += lead;
    }
  });
  const areas = [...byArea.values()].sort((a, b) =>
    a.area === null ? 1 : b.area === null ? -1 : a.area.localeCompare(b.area, 'en-GB'),
  );
  return { ...total, areas };
}

// ---------------------------------------------------------------------------------------------
// Changing

/** A lead for a member of `schemeId`: a Lead MILO of the same scheme, not withdrawn, not in a loop. */
async function validLead(context: RequestContext, schemeId: string, leadGlobalId: string, memberId?: string): Promise<string> {
  const leadId = idOf('Milo', leadGlobalId, 'leadMiloId');
  const invalid = (message: string) => badUserInput(message, [{ field: 'leadMiloId', message }]);
  if (leadId === memberId) throw invalid('A MILO cannot be their own Lead MILO');
  const repository = context.db.getRepository(Milo);
  const lead = await repository.findOneBy({ tenantId: context.tenantId, id: leadId });
  if (!lead) throw notFound('Lead MILO');
  if (lead.schemeId !== schemeId || lead.roleCode !== 'LEAD_MILO') throw invalid('The lead must be a Lead MILO of the same scheme');
  if (lead.status === 'WITHDRAWN') throw invalid('The lead has withdrawn from the scheme');
  // Leads may have leads of their own: refuse a chain that comes back to the member.
  const seen = new Set([leadId]);
  for (let next = lead.leadMiloId; memberId && next && !seen.has(next); ) {
    if (next === memberId) throw invalid('That lead is supervised, directly or not, by this MILO');
    seen.add(next);
    next = (await repository.findOneBy({ tenantId: context.tenantId, id: next }))?.leadMiloId ?? null;
  }
  return leadId;
}

async function insertHistory(
  context: RequestContext,
  milo: Milo,
  change: Pick<MiloStatusChange, 'fromStatus' | 'toStatus' | 'effectiveOn' | 'reason' | 'changedBy'>,
): Promise<MiloStatusChange> {
  const repository = context.db.getRepository(MiloStatusChange);
  const row = repository.create({ tenantId: context.tenantId, id: randomUUID(), miloId: milo.id, changedAt: context.now, ...change });
  await repository.insert(row);
  return row;
}

/** Updates a membership's columns and its updated_at (not mapped on the entity). */
async function updateMiloRow(
  context: RequestContext,
  id: string,
  changes: Partial<Pick<Milo, 'status' | 'statusSince' | 'area' | 'capacity' | 'leadMiloId'>>,
): Promise<void> {
  const columns: Record<keyof typeof changes, string> = {
    status: 'status',
    statusSince: 'status_since',
    area: 'area',
    capacity: 'capacity',
    leadMiloId: 'lead_milo_id',
  };
  const entries = Object.entries(changes).filter(([, value]) => value !== undefined) as Array<[keyof typeof changes, unknown]>;
  const assignments = entries.map(([key], index) => `${columns[key]} = $${index + 3}`);
  await context.db.query(`update milo set ${[...assignments, 'updated_at = now()'].join(', ')} where tenant_id = $1 and id = $2`, [
    context.tenantId,
    id,
    ...entries.map(([, value]) => value),
  ]);
}

export async function enrolMilo(context: RequestContext, input: EnrolMiloInput): Promise<Milo> {
  const changedBy = actorPersonId(context);
  const schemeId = idOf('Scheme', input.schemeId, 'schemeId');
  const personId = idOf('Person', input.personId, 'personId');
  // Membership is a case role: an admin who could enrol and activate themselves would grant
  // themselves what scheme admins may not have (docs/security.md, separation of duties).
  if (personId === changedBy) throw forbidden('Nobody enrols themselves in a scheme: ask another scheme admin');
  const scheme = await context.db.getRepository(Scheme).findOneBy({ tenantId: context.tenantId, id: schemeId });
  if (!scheme) throw notFound('Scheme');
  const person = await context.db.getRepository(Person).findOneBy({ tenantId: context.tenantId, id: personId });
  if (!person) throw notFound('Person');
  if (person.status !== 'ACTIVE') throw badUserInput('Only active people can join a scheme', [{ field: 'personId', message: 'The person is inactive' }]);
  const repository = context.db.getRepository(Milo);
  if (await repository.existsBy({ tenantId: context.tenantId, schemeId, personId })) {
    throw conflict('The person is already a member of this scheme');
  }
  const leadMiloId = input.leadMiloId ? await validLead(context, schemeId, input.leadMiloId) : null;
  const milo = repository.create({
    tenantId: context.tenantId,
    id: randomUUID(),
    schemeId,
    personId,
    roleCode: input.role,
    status: 'APPLICANT',
    statusSince: context.today,
    area: input.area === undefined ? person.area : cleanArea(input.area),
    capacity: input.capacity ?? DEFAULT_CAPACITY,
    leadMiloId,
  });
  await repository.insert(milo);
  await insertHistory(context, milo, {
    fromStatus: null,
    toStatus: 'APPLICANT',
    effectiveOn: milo.statusSince,
    reason: `Enrolled as ${ROLE_NAMES[milo.roleCode]}`,
    changedBy,
  });
  await recordAudit(context, {
    action: 'MILO_ENROLLED',
    entityType: 'Milo',
    entityId: milo.id,
    details: { schemeId, personId, role: milo.roleCode, area: milo.area, capacity: milo.capacity, leadMiloId },
  });
  return reload(context, milo);
}

function describeUnmet(unmet: Eligibility['unmet'][number]): string {
  switch (unmet.reason) {
    case 'EXPIRED':
      return `${unmet.title} (expired on ${unmet.expiredOn})`;
    case 'HOURS_SHORT':
      return `${unmet.title} (${unmet.hoursShort} hours short)`;
    default:
      return `${unmet.title} (not completed)`;
  }
}

/** Activation refused: the message and `extensions.unmet` list every requirement not met. */
export function notEligibleError(role: SchemeRoleCode, eligibility: Eligibility): PlatformError {
  const unmet = eligibility.unmet.map(({ title, reason, expiredOn, hoursShort }) => ({ title, reason, expiredOn, hoursShort }));
  const message = `Not eligible to act as ${ROLE_NAMES[role]}: ${eligibility.unmet.map(describeUnmet).join('; ')}`;
  return new PlatformError(ErrorCode.BAD_USER_INPUT, message, { unmet, problems: [{ field: 'status', message }] });
}

/**
 * Moves a MILO, checked from the status as of today. When the stored ACTIVE has lapsed since
 * the last move, the lapse is written first (by the platform, dated the day the training ran
 * out), then the requested move. Everything is checked before anything is written.
 */
export async function changeMiloStatus(
  context: RequestContext,
  input: ChangeMiloStatusInput,
): Promise<{ milo: Milo; statusChanges: MiloStatusChange[] }> {
  // Shallow check first, so callers who could never move anyone learn nothing about the id.
  if (!(await mayOverseeSomeScheme(context))) throw forbidden("Only scheme admins and active Lead MILOs may change a MILO's status");
  const changedBy = actorPersonId(context);
  const miloId = idOf('Milo', input.miloId, 'miloId');
  const reason = input.reason.trim();
  if (!reason) throw badUserInput('Give a reason for the change', [{ field: 'reason', message: 'Must not be blank' }]);

  // Locked, so two moves of the same MILO cannot both start from the same status.
  const milo = await context.db
    .getRepository(Milo)
    .findOne({ where: { tenantId: context.tenantId, id: miloId }, lock: { mode: 'pessimistic_write' } });
  if (!milo) throw notFound('MILO');
  // Nobody moves their own membership: activating it would give its holder case data.
  if (milo.personId === changedBy) throw forbidden('Nobody changes the status of their own membership: ask another scheme admin or Lead MILO');
  if (!(await mayOverseeScheme(context, milo.schemeId))) {
    throw forbidden("Only scheme admins and the scheme's active Lead MILOs may change its MILOs");
  }

  const asOf = context.today;
  const { status: current, lapsedOn } = await effectiveStatusWithLapse(context, milo);
  if (!canMove(current, input.status)) {
    const allowed = nextStatuses(current);
    const message = `A MILO cannot move from ${current} to ${input.status}`;
    throw badUserInput(message, [{ field: 'status', message: allowed.length ? `Allowed: ${allowed.join(', ')}` : 'No further moves' }]);
  }
  if (NEEDS_ELIGIBILITY.has(input.status)) {
    const eligibility = await eligibilityOf(context, subjectOf(milo), asOf);
    if (!eligibility.eligible) throw notEligibleError(milo.roleCode, eligibility);
  }

  const statusChanges: MiloStatusChange[] = [];
  // The lapse the clock made since the last move, dated the day the training ran out (today
  // when that cannot be told, e.g. after the requirements changed).
  const automaticLapseOn = milo.status === 'ACTIVE' && current === 'LAPSED' ? (lapsedOn ?? asOf) : null;
  if (automaticLapseOn) {
    statusChanges.push(
      await insertHistory(context, milo, { fromStatus: 'ACTIVE', toStatus: 'LAPSED', effectiveOn: automaticLapseOn, reason: AUTOMATIC_LAPSE_REASON, changedBy: null }),
    );
  }
  statusChanges.push(await insertHistory(context, milo, { fromStatus: current, toStatus: input.status, effectiveOn: asOf, reason, changedBy }));
  await updateMiloRow(context, milo.id, { status: input.status, statusSince: asOf });
  await recordAudit(context, {
    action: 'MILO_STATUS_CHANGED',
    entityType: 'Milo',
    entityId: milo.id,
    // The reason is free text about a person: it stays in the history, not the audit log.
    details: { from: current, to: input.status, recordedFrom: milo.status, automaticLapseOn },
  });
  return { milo: await reload(context, milo), statusChanges };
}

export async function updateMilo(context: RequestContext, input: UpdateMiloInput): Promise<Milo> {
  const miloId = idOf('Milo', input.miloId, 'miloId');
  const milo = await context.db.getRepository(Milo).findOneBy({ tenantId: context.tenantId, id: miloId });
  if (!milo) throw notFound('MILO');
  const changes: Partial<Pick<Milo, 'area' | 'capacity' | 'leadMiloId'>> = {};
  if (input.area !== undefined) changes.area = cleanArea(input.area);
  if (input.capacity !== undefined && input.capacity !== null) changes.capacity = input.capacity;
  if (input.leadMiloId !== undefined) {
    changes.leadMiloId = input.leadMiloId === null ? null : await validLead(context, milo.schemeId, input.leadMiloId, milo.id);
  }
  const changed = (Object.keys(changes) as Array<keyof typeof changes>).filter((key) => changes[key] !== milo[key]);
  if (changed.length === 0) return milo;
  await updateMiloRow(context, milo.id, changes);
  await recordAudit(context, {
    action: 'MILO_UPDATED',
    entityType: 'Milo',
    entityId: milo.id,
    details: Object.fromEntries(changed.map((key) => [key, { from: milo[key], to: changes[key] }])),
  });
  return reload(context, milo);
}
