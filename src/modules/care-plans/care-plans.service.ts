import { randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { recordAudit } from '../../platform/audit';
import { addDays } from '../../platform/calendar';
import type { RequestContext } from '../../platform/context';
import { badUserInput, conflict, notFound, type FieldProblem } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { paginate } from '../../platform/graphql/paginate';
import type { ConnectionArgs, ConnectionResult } from '../../platform/graphql/relay';
import { callerMemberships, effectiveStatusOf, miloById } from '../milos';
import { organisationById } from '../organisations';
import { personById } from '../people';
import { changeSummary, changedFields, describeChanges, snapshotOf, type PlanState } from './care-plan-history';
import { sharesCarePlansWith } from './care-plan.policy';
import { CarePlanInput } from './care-plan-input.entity';
import { CarePlanInternalNote } from './care-plan-internal-note.entity';
import {
  MAX_REVIEW_WINDOW_DAYS,
  type AddCarePlanInputInput,
  type AddCarePlanInternalNoteInput,
  type AddCareTeamMemberInput,
  type CarePlansFilter,
  type CloseCarePlanInput,
  type CreateCarePlanInput,
  type RecordCarePlanConsentInput,
  type RemoveCareTeamMemberInput,
  type UpdateCarePlanInput,
} from './care-plan-mutations.types';
import { CARE_PLAN_MOVES, REVIEWED_STATUSES, canMoveCarePlan, isValidNhsNumber, normaliseNhsNumber } from './care-plan-transitions';
import { CarePlanSubject } from './care-plan-subject.entity';
import { CarePlanVersion } from './care-plan-version.entity';
import { CARE_PLAN_SECTIONS, CarePlan, type CarePlanSection } from './care-plan.entity';
import { carePlanInputById, careTeamMemberById, forgetPlan, inputsByPlanId, internalNotesByPlanId } from './care-plans.loaders';
import { CareTeamMember } from './care-team-member.entity';

/*
 * The owner's side of care plans: its ACTIVE MILOs and Lead MILOs create and work them, its
 * auditors read them (care-plan-reading.ts). Every change of a plan is one new version (the
 * plan bumps `version` and care_plan_version keeps the plan as it then stood, what changed
 * and who changed it) and one event in the owner's audit log. Inputs and police-only notes
 * are records of their own, added to a plan without changing it: they are audited, not
 * versioned. Audit events name fields, statuses and ids, never free text.
 */

export const CarePlanAuditAction = {
  CREATED: 'CARE_PLAN_CREATED',
  UPDATED: 'CARE_PLAN_UPDATED',
  CONSENT_RECORDED: 'CARE_PLAN_CONSENT_RECORDED',
  TEAM_MEMBER_ADDED: 'CARE_TEAM_MEMBER_ADDED',
  TEAM_MEMBER_REMOVED: 'CARE_TEAM_MEMBER_REMOVED',
  INPUT_ADDED: 'CARE_PLAN_INPUT_ADDED',
  INTERNAL_NOTE_ADDED: 'CARE_PLAN_INTERNAL_NOTE_ADDED',
  CLOSED: 'CARE_PLAN_CLOSED',
  SUBJECT_READ: 'CARE_PLAN_SUBJECT_READ',
  SUBJECT_ACCESS_EXPORTED: 'CARE_PLAN_SUBJECT_ACCESS_EXPORTED',
  ANONYMISED: 'CARE_PLAN_ANONYMISED',
} as const;

/**
 * Who makes a change. Whether the caller may change plans at all is the access policy's
 * decision, asked by the shield's gate on every mutation here (docs/architecture.md,
 * "Authorization"); changes are signed by a person record.
 */
const requireWorker = async (context: RequestContext): Promise<string> => context.requirePersonId('Changing care plans');

/** Empty text is no text: a section cleared in a form arrives as "". Anything else is kept as written. */
const textOrNull = (value: string | null | undefined): string | null => (value === undefined || value === null || value === '' ? null : value);

/**
 * The caller's organisation's plan, locked for a change. Another organisation's plan is
 * NOT_FOUND, as for one that does not exist; a closed or anonymised plan does not change.
 */
async function planForChange(context: RequestContext, planId: string, closing = false): Promise<CarePlan> {
  const plan = await context.db.getRepository(CarePlan).findOne({ where: { tenantId: context.tenantId, id: planId }, lock: { mode: 'pessimistic_write' } });
  if (!plan) throw notFound('Care plan');
  if (plan.anonymisedAt) throw conflict('The care plan has been anonymised; it no longer changes');
  if (plan.status === 'CLOSED') throw conflict(closing ? 'The care plan is already closed' : 'The care plan is closed; it no longer changes');
  return plan;
}

async function currentTeam(context: RequestContext, planId: string): Promise<CareTeamMember[]> {
  return context.db.getRepository(CareTeamMember).find({
    where: { tenantId: context.tenantId, carePlanId: planId, removedAt: IsNull() },
    order: { addedAt: 'ASC', id: 'ASC' },
  });
}

/** Writes the plan as it now stands as its version `version`. */
async function writeVersion(context: RequestContext, plan: CarePlan, summary: string, changedBy: string): Promise<void> {
  await context.db.getRepository(CarePlanVersion).insert({
    tenantId: context.tenantId,
    id: randomUUID(),
    carePlanId: plan.id,
    version: plan.version,
    snapshot: snapshotOf(plan, await currentTeam(context, plan.id)) as QueryDeepPartialEntity<Record<string, unknown>>,
    changeSummary: summary,
    changedBy,
    changedAt: context.now,
  });
}

interface PlanChange {
  /** New values of the plan's own columns. */
  changes: Partial<PlanState>;
  /** Changes beside the plan's columns (its care team), in the summary's words. */
  alsoChanged?: string[];
  action: string;
  details?: Record<string, unknown>;
}

/**
 * Applies one change to a locked plan: bumps its version, writes the version and the audit
 * event. A change that changes nothing writes nothing and returns the plan as it is.
 */
async function changePlan(context: RequestContext, plan: CarePlan, changedBy: string, change: PlanChange): Promise<CarePlan> {
  const after: PlanState = { ...plan, ...change.changes };
  const fields = changedFields(plan, after);
  const alsoChanged = change.alsoChanged ?? [];
  if (!fields.length && !alsoChanged.length) return plan;
  const version = plan.version + 1;
  const repository = context.db.getRepository(CarePlan);
  const result = await repository.update({ tenantId: context.tenantId, id: plan.id, version: plan.version }, { ...change.changes, version });
  if (!result.affected) throw conflict('The care plan changed meanwhile; reload it and try again');
  forgetPlan(context, plan.id);
  const updated = (await repository.findOneBy({ tenantId: context.tenantId, id: plan.id })) as CarePlan;
  await writeVersion(context, updated, changeSummary([...describeChanges(plan, after), ...alsoChanged]), changedBy);
  await recordAudit(context, {
    action: change.action,
    entityType: 'CarePlan',
    entityId: plan.id,
    details: { carePlanId: plan.id, version, fields, ...change.details },
  });
  return updated;
}

/** An ACTIVE MILO or Lead MILO membership of the caller's organisation, or a problem with it. */
async function leadMiloFor(context: RequestContext, globalId: string, field: string, problems: FieldProblem[]): Promise<string | null> {
  const miloId = idOf('Milo', globalId, field);
  const milo = await context.loaders.use(miloById).load(miloId);
  if (!milo) {
    problems.push({ field, message: 'Not a MILO membership of your organisation' });
    return null;
  }
  const status = await effectiveStatusOf(context, milo);
  if (status !== 'ACTIVE') {
    problems.push({ field, message: `The MILO is ${status} today; a plan is led by an ACTIVE MILO or Lead MILO` });
    return null;
  }
  return milo.id;
}

/** The caller's own ACTIVE membership: the default lead of the plans they create. */
async function ownActiveMembership(context: RequestContext): Promise<string | null> {
  return (await callerMemberships(context).activeIn())?.id ?? null;
}

// ---------------------------------------------------------------------------------------
// Creating and changing plans

export async function createCarePlan(context: RequestContext, input: CreateCarePlanInput): Promise<CarePlan> {
  const me = await requireWorker(context);
  const today = context.today;
  const problems: FieldProblem[] = [];
  const leadMiloId = input.leadMiloId ? await leadMiloFor(context, input.leadMiloId, 'leadMiloId', problems) : await ownActiveMembership(context);
  if (input.reviewDueOn && input.reviewDueOn < today) problems.push({ field: 'reviewDueOn', message: 'Must not be in the past' });
  const subject = input.subject;
  if (subject.dateOfBirth && subject.dateOfBirth > today) problems.push({ field: 'subject.dateOfBirth', message: 'Must not be in the future' });
  const nhsNumber = subject.nhsNumber ? normaliseNhsNumber(subject.nhsNumber) : null;
  if (nhsNumber !== null && !isValidNhsNumber(nhsNumber)) {
    problems.push({ field: 'subject.nhsNumber', message: 'Not a valid NHS number: ten digits whose last is the modulus 11 check digit' });
  }
  if (problems.length) throw badUserInput('The care plan is not valid', problems);

  const repository = context.db.getRepository(CarePlan);
  if (await repository.existsBy({ tenantId: context.tenantId, reference: input.reference })) {
    throw conflict(`Your organisation already has a care plan with the reference ${input.reference}`);
  }
  const id = randomUUID();
  const sections = Object.fromEntries(CARE_PLAN_SECTIONS.map((section) => [section, textOrNull(input[section])])) as Record<CarePlanSection, string | null>;
  await repository.insert({
    tenantId: context.tenantId,
    id,
    reference: input.reference,
    status: 'DRAFT',
    leadMiloId,
    reviewDueOn: input.reviewDueOn ?? null,
    lawfulBasis: input.lawfulBasis.trim(),
    consentStatus: 'NOT_RECORDED',
    ...sections,
    version: 1,
    createdBy: me,
  });
  await context.db.getRepository(CarePlanSubject).insert({
    tenantId: context.tenantId,
    id: randomUUID(),
    carePlanId: id,
    displayName: subject.displayName.trim(),
    dateOfBirth: subject.dateOfBirth ?? null,
    nhsNumber,
    localIdentifiers: textOrNull(subject.localIdentifiers),
  });
  const plan = (await repository.findOneBy({ tenantId: context.tenantId, id })) as CarePlan;
  await writeVersion(context, plan, 'Created', me);
  await recordAudit(context, {
    action: CarePlanAuditAction.CREATED,
    entityType: 'CarePlan',
    entityId: id,
    details: {
      carePlanId: id,
      reference: plan.reference,
      version: 1,
      leadMiloId,
      sections: CARE_PLAN_SECTIONS.filter((section) => sections[section] !== null),
      subjectDetails: ['displayName', ...(['dateOfBirth', 'nhsNumber', 'localIdentifiers'] as const).filter((field) => subject[field])],
    },
  });
  return plan;
}

export async function updateCarePlan(context: RequestContext, input: UpdateCarePlanInput): Promise<CarePlan> {
  const me = await requireWorker(context);
  const plan = await planForChange(context, idOf('CarePlan', input.carePlanId, 'carePlanId'));
  if (input.expectedVersion != null && input.expectedVersion !== plan.version) {
    throw conflict(`The care plan is at version ${plan.version}, not ${input.expectedVersion}: reload it and apply your change again`);
  }
  const today = context.today;
  const problems: FieldProblem[] = [];
  const changes: Partial<PlanState> = {};

  if (input.status === null) problems.push({ field: 'status', message: 'A plan always has a status' });
  else if (input.status !== undefined && input.status !== plan.status) {
    if (input.status === 'CLOSED') {
      problems.push({ field: 'status', message: 'Close a plan with closeCarePlan: it needs a reason and how long the plan is kept' });
    } else if (!canMoveCarePlan(plan.status, input.status)) {
      const allowed = CARE_PLAN_MOVES[plan.status];
      problems.push({ field: 'status', message: `A ${plan.status} plan cannot move to ${input.status}; it may move to ${allowed.join(' or ')}, or be closed` });
    } else changes.status = input.status;
  }
  for (const section of CARE_PLAN_SECTIONS) {
    if (input[section] !== undefined) changes[section] = textOrNull(input[section]);
  }
  if (input.leadMiloId === null) changes.leadMiloId = null;
  else if (input.leadMiloId !== undefined) {
    const leadMiloId = await leadMiloFor(context, input.leadMiloId, 'leadMiloId', problems);
    if (leadMiloId) changes.leadMiloId = leadMiloId;
  }
  if (input.reviewDueOn !== undefined) {
    if (input.reviewDueOn && input.reviewDueOn < today && input.reviewDueOn !== plan.reviewDueOn) {
      problems.push({ field: 'reviewDueOn', message: 'Must not be in the past' });
    }
    changes.reviewDueOn = input.reviewDueOn ?? null;
  }
  if (input.lawfulBasis === null) problems.push({ field: 'lawfulBasis', message: 'A plan always has a lawful basis' });
  else if (input.lawfulBasis !== undefined) changes.lawfulBasis = input.lawfulBasis.trim();
  if (problems.length) throw badUserInput('The change is not valid', problems);

  return changePlan(context, plan, me, {
    changes,
    action: CarePlanAuditAction.UPDATED,
    details: changes.status ? { fromStatus: plan.status, toStatus: changes.status } : {},
  });
}

export async function recordCarePlanConsent(context: RequestContext, input: RecordCarePlanConsentInput): Promise<CarePlan> {
  const me = await requireWorker(context);
  const plan = await planForChange(context, idOf('CarePlan', input.carePlanId, 'carePlanId'));
  const problems: FieldProblem[] = [];
  if (input.recordedOn > context.today) problems.push({ field: 'recordedOn', message: 'Must not be in the future' });
  const scope = textOrNull(input.scope);
  if (input.status === 'GIVEN' && !scope?.trim()) problems.push({ field: 'scope', message: 'Say what the subject consented to' });
  if (problems.length) throw badUserInput('The consent is not valid', problems);
  return changePlan(context, plan, me, {
    changes: { consentStatus: input.status, consentScope: scope, consentRecordedOn: input.recordedOn },
    action: CarePlanAuditAction.CONSENT_RECORDED,
    details: { fromStatus: plan.consentStatus, toStatus: input.status, recordedOn: input.recordedOn },
  });
}

export interface TeamChange {
  careTeamMember: CareTeamMember;
  carePlan: CarePlan;
}

/**
 * Adds a member on behalf of the owner (a person of the owner, or just a name) or of a
 * partner the owner shares care plans with today (a name and a role: the owner cannot see a
 * partner's people). A partner on the team is what the usual rule condition (careTeamOnly)
 * looks for, so this is what opens the plan to that partner.
 */
export async function addCareTeamMember(context: RequestContext, input: AddCareTeamMemberInput): Promise<TeamChange> {
  const me = await requireWorker(context);
  const plan = await planForChange(context, idOf('CarePlan', input.carePlanId, 'carePlanId'));
  const organisationId = idOf('Organisation', input.organisationId, 'organisationId');
  const problems: FieldProblem[] = [];
  let personId: string | null = null;
  const organisation = await context.loaders.use(organisationById).load(organisationId);
  if (!organisation) {
    problems.push({ field: 'organisationId', message: 'No such organisation' });
  } else if (organisationId === context.tenantId) {
    if (input.personId) {
      personId = idOf('Person', input.personId, 'personId');
      if (!(await context.loaders.use(personById).load(personId))) problems.push({ field: 'personId', message: 'Not a person of your organisation' });
    }
  } else {
    if (!(await sharesCarePlansWith(context, organisationId))) {
      problems.push({ field: 'organisationId', message: `No data sharing agreement in force shares care plans with ${organisation.name}` });
    }
    if (input.personId) {
      problems.push({ field: 'personId', message: "Leave it out for a partner's member (you cannot see a partner's people): give their name and role" });
    }
  }
  if (problems.length) throw badUserInput('The care team member is not valid', problems);
  const team = await currentTeam(context, plan.id);
  if (personId && team.some((member) => member.memberPersonId === personId)) throw conflict('They are already on the care team');

  const id = randomUUID();
  await context.db.getRepository(CareTeamMember).insert({
    tenantId: context.tenantId,
    id,
    carePlanId: plan.id,
    memberOrganisationId: organisationId,
    memberPersonId: personId,
    displayName: input.displayName.trim(),
    role: input.role.trim(),
    addedBy: me,
    addedAt: context.now,
  });
  // The trigger has copied the team's organisations onto the plan: reload it before versioning.
  const locked = (await context.db.getRepository(CarePlan).findOneBy({ tenantId: context.tenantId, id: plan.id })) as CarePlan;
  const carePlan = await changePlan(context, locked, me, {
    changes: {},
    alsoChanged: [`care team: member added on behalf of ${organisation!.name}`],
    action: CarePlanAuditAction.TEAM_MEMBER_ADDED,
    details: { careTeamMemberId: id, memberOrganisationId: organisationId, memberPersonId: personId },
  });
  context.loaders.use(careTeamMemberById).clear(id);
  return { careTeamMember: (await context.loaders.use(careTeamMemberById).load(id)) as CareTeamMember, carePlan };
}

export async function removeCareTeamMember(context: RequestContext, input: RemoveCareTeamMemberInput): Promise<TeamChange> {
  const me = await requireWorker(context);
  const id = idOf('CareTeamMember', input.careTeamMemberId, 'careTeamMemberId');
  const repository = context.db.getRepository(CareTeamMember);
  const member = await repository.findOneBy({ tenantId: context.tenantId, id });
  if (!member) throw notFound('Care team member');
  const plan = await planForChange(context, member.carePlanId);
  if (member.removedAt) throw conflict('They were already removed from the care team');
  await repository.update({ tenantId: context.tenantId, id }, { removedAt: context.now });
  const organisation = await context.loaders.use(organisationById).load(member.memberOrganisationId);
  const locked = (await context.db.getRepository(CarePlan).findOneBy({ tenantId: context.tenantId, id: plan.id })) as CarePlan;
  const carePlan = await changePlan(context, locked, me, {
    changes: {},
    alsoChanged: [`care team: member removed on behalf of ${organisation?.name ?? 'an organisation'}`],
    action: CarePlanAuditAction.TEAM_MEMBER_REMOVED,
    details: { careTeamMemberId: id, memberOrganisationId: member.memberOrganisationId, memberPersonId: member.memberPersonId },
  });
  context.loaders.use(careTeamMemberById).clear(id);
  return { careTeamMember: (await context.loaders.use(careTeamMemberById).load(id)) as CareTeamMember, carePlan };
}

// ---------------------------------------------------------------------------------------
// Inputs and police-only notes: added to a plan, not changes of it (audited, not versioned).

async function authorName(context: RequestContext, personId: string): Promise<string> {
  return (await context.loaders.use(personById).load(personId))?.displayName ?? 'MILO';
}

/**
 * A MILO's input (SHARED with partners under the agreement, or INTERNAL), or a carer's input
 * recorded by a MILO (kind CARER, with who the carer is to the subject). The author is the
 * MILO who wrote it down, in the owner's name.
 */
export async function addCarePlanInput(context: RequestContext, input: AddCarePlanInputInput): Promise<{ input: CarePlanInput; carePlan: CarePlan }> {
  const me = await requireWorker(context);
  const plan = await planForChange(context, idOf('CarePlan', input.carePlanId, 'carePlanId'));
  const relationship = input.carerRelationship?.trim() || null;
  if (input.kind === 'CARER' && !relationship) {
    throw badUserInput("A carer's input says who the carer is to the subject", [{ field: 'carerRelationship', message: 'Required for CARER' }]);
  }
  if (input.kind !== 'CARER' && relationship) {
    throw badUserInput('Only a carer’s input has a carer relationship', [{ field: 'carerRelationship', message: 'Only for CARER' }]);
  }
  const id = randomUUID();
  await context.db.getRepository(CarePlanInput).insert({
    tenantId: context.tenantId,
    id,
    carePlanId: plan.id,
    authorOrganisationId: context.tenantId,
    authorPersonId: me,
    authorName: await authorName(context, me),
    kind: input.kind,
    carerRelationship: relationship,
    body: input.body,
    visibility: input.visibility,
  });
  await recordAudit(context, {
    action: CarePlanAuditAction.INPUT_ADDED,
    entityType: 'CarePlanInput',
    entityId: id,
    details: { carePlanId: plan.id, kind: input.kind, visibility: input.visibility },
  });
  context.loaders.use(inputsByPlanId).clear(plan.id);
  return { input: (await context.loaders.use(carePlanInputById).load(id)) as CarePlanInput, carePlan: plan };
}

/**
 * A partner user's input to a plan of another organisation (the care-plan policy has decided
 * it may: partnerContributionTo), in their own name and organisation: kind PARTNER,
 * visibility SHARED. Kept in the owner's tenant.
 */
export async function addPartnerInput(context: RequestContext, plan: CarePlan, author: { id: string; displayName: string }, body: string): Promise<CarePlanInput> {
  const input = context.db.getRepository(CarePlanInput).create({
    tenantId: plan.tenantId,
    id: randomUUID(),
    carePlanId: plan.id,
    authorOrganisationId: context.tenantId,
    authorPersonId: author.id,
    authorName: author.displayName,
    kind: 'PARTNER',
    carerRelationship: null,
    body,
    visibility: 'SHARED',
    removedAt: null,
    createdAt: context.now,
  });
  // No RETURNING: a rule may grant CONTRIBUTE without READ, and the policy partner_contribute
  // (SHARED, PARTNER, in the caller's name, plan visible) checks the row again.
  await context.db.query(
    `insert into care_plan_input (tenant_id, id, care_plan_id, author_organisation_id, author_person_id, author_name, kind, body, visibility, created_at)
     values ($1, $2, $3, $4, $5, $6, 'PARTNER', $7, 'SHARED', $8)`,
    [input.tenantId, input.id, plan.id, context.tenantId, author.id, author.displayName, body, context.now],
  );
  context.loaders.use(inputsByPlanId).clear(plan.id);
  return input;
}

export async function addCarePlanInternalNote(
  context: RequestContext,
  input: AddCarePlanInternalNoteInput,
): Promise<{ internalNote: CarePlanInternalNote; carePlan: CarePlan }> {
  const me = await requireWorker(context);
  const plan = await planForChange(context, idOf('CarePlan', input.carePlanId, 'carePlanId'));
  const id = randomUUID();
  const repository = context.db.getRepository(CarePlanInternalNote);
  await repository.insert({ tenantId: context.tenantId, id, carePlanId: plan.id, body: input.body, authorPersonId: me });
  await recordAudit(context, {
    action: CarePlanAuditAction.INTERNAL_NOTE_ADDED,
    entityType: 'CarePlanInternalNote',
    entityId: id,
    details: { carePlanId: plan.id },
  });
  context.loaders.use(internalNotesByPlanId).clear(plan.id);
  return { internalNote: (await repository.findOneBy({ tenantId: context.tenantId, id })) as CarePlanInternalNote, carePlan: plan };
}

/** Closes a plan from any status, with why (kept until anonymisation) and the last day it is kept. */
export async function closeCarePlan(context: RequestContext, input: CloseCarePlanInput): Promise<CarePlan> {
  const me = await requireWorker(context);
  const plan = await planForChange(context, idOf('CarePlan', input.carePlanId, 'carePlanId'), true);
  if (input.retainUntil < context.today) {
    throw badUserInput('A plan is kept at least until today', [{ field: 'retainUntil', message: 'Must be today or later' }]);
  }
  return changePlan(context, plan, me, {
    changes: { status: 'CLOSED', closedAt: context.now, closureReason: input.reason, retainUntil: input.retainUntil },
    action: CarePlanAuditAction.CLOSED,
    details: { fromStatus: plan.status, retainUntil: input.retainUntil },
  });
}

// ---------------------------------------------------------------------------------------
// Lists of the owner's own plans. Never joined to the subject: a list does not need who.

/** Keyset order of the owner's list: by reference, unique in the organisation. */
const BY_REFERENCE = { column: 'plan.reference', value: (plan: CarePlan) => plan.reference };

export async function listCarePlans(context: RequestContext, args: ConnectionArgs, filter: CarePlansFilter = {}): Promise<ConnectionResult<CarePlan>> {
  const today = context.today;
  const query = context.db.getRepository(CarePlan).createQueryBuilder('plan').where('plan.tenant_id = :me', { me: context.tenantId });
  if (filter.status) query.andWhere('plan.status = :status', { status: filter.status });
  if (filter.leadMiloId) query.andWhere('plan.lead_milo_id = :lead', { lead: idOf('Milo', filter.leadMiloId, 'filter.leadMiloId') });
  const overdue = `(plan.review_due_on < :today and plan.status in (:...reviewed))`;
  if (filter.reviewOverdue === true) query.andWhere(overdue, { today, reviewed: REVIEWED_STATUSES });
  if (filter.reviewOverdue === false) query.andWhere(`not coalesce(${overdue}, false)`, { today, reviewed: REVIEWED_STATUSES });
  return paginate(query, args, BY_REFERENCE);
}

/** Keyset order of the reviews list: soonest (most overdue) first. */
const BY_REVIEW_DATE = { column: 'plan.review_due_on', value: (plan: CarePlan) => plan.reviewDueOn as string };

/** Plans being worked (ACTIVE, UNDER_REVIEW) whose review is overdue or due within the next N days, soonest first. */
export async function carePlanReviewsDue(context: RequestContext, withinDays: number, args: ConnectionArgs): Promise<ConnectionResult<CarePlan>> {
  if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > MAX_REVIEW_WINDOW_DAYS) {
    throw badUserInput(`withinDays must be between 0 and ${MAX_REVIEW_WINDOW_DAYS}`, [{ field: 'withinDays', message: 'Out of range' }]);
  }
  const until = addDays(context.today, withinDays);
  const query = context.db
    .getRepository(CarePlan)
    .createQueryBuilder('plan')
    .where('plan.tenant_id = :me', { me: context.tenantId })
    .andWhere('plan.status in (:...reviewed)', { reviewed: REVIEWED_STATUSES })
    .andWhere('plan.review_due_on <= :until', { until });
  return paginate(query, args, BY_REVIEW_DATE);
}
