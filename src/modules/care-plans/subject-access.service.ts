import { randomUUID } from 'node:crypto';
import { IsNull, Not } from 'typeorm';
import { recordAudit, recordKeptAudit } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { conflict, notFound } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { auditEventsAbout } from '../audit-log';
import { organisationById } from '../organisations';
import type { AnonymiseCarePlanInput } from './care-plan-mutations.types';
import { CarePlanInput } from './care-plan-input.entity';
import { CarePlanInternalNote } from './care-plan-internal-note.entity';
import { anonymisationRefusal, type AnonymisationRefusal } from './care-plan-transitions';
import { CarePlanSubject } from './care-plan-subject.entity';
import { CarePlanVersion } from './care-plan-version.entity';
import { CARE_PLAN_SECTIONS, CarePlan } from './care-plan.entity';
import { CarePlanAuditAction } from './care-plans.service';
import { forgetPlan } from './care-plans.loaders';
import { CareTeamMember } from './care-team-member.entity';

/*
 * The subject's rights over what the owner holds about them (UK GDPR Art. 15 and 17, DPA 2018
 * Part 3 s.45 and s.47): a subject access export of one plan, for the owner's data protection
 * officers (AUDITOR); and, once the plan is closed and its retention has ended, anonymisation
 * by a scheme admin. Both are audited; the audit events name ids and counts, never free text,
 * so the log itself holds nothing to anonymise.
 */

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/**
 * Everything the owner holds about a plan's subject, as JSON: the plan (every field), the
 * subject, the care team (past members too), every input (INTERNAL ones too) and police-only
 * note, the version history with its snapshots, and the audit events about the plan and its
 * records (who read or changed them, from which organisation, why). AUDITOR of the owner only;
 * another organisation's plan is NOT_FOUND. The export is itself audited.
 */
export async function carePlanSubjectAccessExport(context: RequestContext, carePlanGlobalId: string): Promise<Record<string, unknown>> {
  const planId = idOf('CarePlan', carePlanGlobalId, 'carePlanId');
  const plan = await context.db.getRepository(CarePlan).findOneBy({ tenantId: context.tenantId, id: planId });
  if (!plan) throw notFound('Care plan');
  const where = { tenantId: context.tenantId, carePlanId: plan.id };
  const [subject, team, inputs, notes, versions] = await Promise.all([
    context.db.getRepository(CarePlanSubject).findOneBy(where),
    context.db.getRepository(CareTeamMember).find({ where, order: { addedAt: 'ASC', id: 'ASC' } }),
    context.db.getRepository(CarePlanInput).find({ where, order: { createdAt: 'ASC', id: 'ASC' } }),
    context.db.getRepository(CarePlanInternalNote).find({ where, order: { createdAt: 'ASC', id: 'ASC' } }),
    context.db.getRepository(CarePlanVersion).find({ where, order: { version: 'ASC' } }),
  ]);
  const recordIds = [plan.id, ...team.map((row) => row.id), ...inputs.map((row) => row.id), ...notes.map((row) => row.id)];
  // Events about the plan or one of its records, including batched partner reads that list ids.
  const events = await auditEventsAbout(context, recordIds, { detailsKey: 'carePlanId', id: plan.id });
  const organisationIds = [
    plan.tenantId,
    ...team.map((row) => row.memberOrganisationId),
    ...inputs.map((row) => row.authorOrganisationId),
    ...events.map((event) => event.actorOrganisationId),
  ];
  const organisations = new Map<string, string>();
  for (const organisation of await context.loaders.use(organisationById).loadMany([...new Set(organisationIds)])) {
    if (organisation && !(organisation instanceof Error)) organisations.set(organisation.id, organisation.name);
  }

  const exportedAt = context.now.toISOString();
  const document = {
    exportedAt,
    exportedBy: { organisationId: context.tenantId, personId: context.viewer.personId, subject: context.viewer.subject },
    carePlan: {
      id: plan.id,
      owner: { id: plan.tenantId, name: organisations.get(plan.tenantId) ?? null },
      reference: plan.reference,
      status: plan.status,
      version: plan.version,
      leadMiloId: plan.leadMiloId,
      reviewDueOn: plan.reviewDueOn,
      lawfulBasis: plan.lawfulBasis,
      consent: { status: plan.consentStatus, scope: plan.consentScope, recordedOn: plan.consentRecordedOn },
      sections: Object.fromEntries(CARE_PLAN_SECTIONS.map((section) => [section, plan[section]])),
      careTeamOrganisationIds: plan.careTeamOrganisationIds,
      closedAt: iso(plan.closedAt),
      closureReason: plan.closureReason,
      retainUntil: plan.retainUntil,
      anonymisedAt: iso(plan.anonymisedAt),
      createdBy: plan.createdBy,
      createdAt: iso(plan.createdAt),
      updatedAt: iso(plan.updatedAt),
    },
    subject: subject
      ? { displayName: subject.displayName, dateOfBirth: subject.dateOfBirth, nhsNumber: subject.nhsNumber, localIdentifiers: subject.localIdentifiers }
      : null,
    careTeam: team.map((member) => ({
      id: member.id,
      organisation: { id: member.memberOrganisationId, name: organisations.get(member.memberOrganisationId) ?? null },
      personId: member.memberPersonId,
      displayName: member.displayName,
      role: member.role,
      addedAt: iso(member.addedAt),
      removedAt: iso(member.removedAt),
    })),
    inputs: inputs.map((input) => ({
      id: input.id,
      kind: input.kind,
      visibility: input.visibility,
      authorOrganisation: { id: input.authorOrganisationId, name: organisations.get(input.authorOrganisationId) ?? null },
      authorPersonId: input.authorPersonId,
      authorName: input.authorName,
      carerRelationship: input.carerRelationship,
      body: input.body,
      createdAt: iso(input.createdAt),
      removedAt: iso(input.removedAt),
    })),
    internalNotes: notes.map((note) => ({
      id: note.id,
      authorPersonId: note.authorPersonId,
      body: note.body,
      createdAt: iso(note.createdAt),
      removedAt: iso(note.removedAt),
    })),
    versions: versions.map((version) => ({
      version: version.version,
      changeSummary: version.changeSummary,
      changedBy: version.changedBy,
      changedAt: iso(version.changedAt),
      snapshot: version.anonymisedAt ? null : version.snapshot,
      anonymisedAt: iso(version.anonymisedAt),
    })),
    auditEvents: events.map((event) => ({
      occurredAt: iso(event.occurredAt),
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      actorOrganisation: { id: event.actorOrganisationId, name: organisations.get(event.actorOrganisationId) ?? null },
      actorPersonId: event.actorPersonId,
      actorSubject: event.actorSubject,
      purpose: event.purpose,
      outcome: event.outcome,
      details: event.details,
    })),
  };
  // Kept whatever happens to the operation: the export goes out with a partial response too.
  recordKeptAudit(context, {
    action: CarePlanAuditAction.SUBJECT_ACCESS_EXPORTED,
    entityType: 'CarePlan',
    entityId: plan.id,
    purpose: 'Subject access request',
    details: {
      carePlanId: plan.id,
      counts: { careTeam: team.length, inputs: inputs.length, internalNotes: notes.length, versions: versions.length, auditEvents: events.length },
      withSubject: subject !== null,
    },
  });
  return document;
}

const REFUSALS: Record<AnonymisationRefusal, (plan: CarePlan) => string> = {
  NOT_CLOSED: (plan) => `Only a closed care plan can be anonymised; this one is ${plan.status}`,
  ALREADY_ANONYMISED: () => 'The care plan has already been anonymised',
  RETENTION_NOT_ENDED: (plan) => `The care plan is kept until ${plan.retainUntil}; it can be anonymised from the day after`,
};

/**
 * Anonymises a closed plan whose retention has ended (SCHEME_ADMIN of the owner): deletes who
 * it is about, empties its sections, consent scope and closure reason, removes the text of
 * every input and police-only note (the rows stay, body null, removed_at set), empties every
 * version's snapshot, a carer's relationship and the names of team members typed in without a
 * person record, and marks the plan anonymised (a last version says so). What stays is the
 * skeleton: reference, dates, statuses, professionals' team roles, who wrote what and the
 * audit log.
 */
/** What a typed-in team member's name and role read as once a plan is anonymised. */
const REMOVED_NAME = '[removed]';

export async function anonymiseCarePlan(context: RequestContext, input: AnonymiseCarePlanInput): Promise<CarePlan> {
  const changedBy = context.requirePersonId('Anonymising a care plan');
  const planId = idOf('CarePlan', input.carePlanId, 'carePlanId');
  const repository = context.db.getRepository(CarePlan);
  const plan = await repository.findOne({ where: { tenantId: context.tenantId, id: planId }, lock: { mode: 'pessimistic_write' } });
  if (!plan) throw notFound('Care plan');
  const refusal = anonymisationRefusal(plan, context.today);
  if (refusal) throw conflict(REFUSALS[refusal](plan));

  const tenant = { tenantId: context.tenantId, carePlanId: plan.id };
  const deleted = await context.db.getRepository(CarePlanSubject).delete(tenant);
  const inputs = await context.db
    .getRepository(CarePlanInput)
    .update({ ...tenant, body: Not(IsNull()) }, { body: null, carerRelationship: null, removedAt: context.now });
  // Team members without a person record are names typed in (a carer, a relative): they go too.
  await context.db
    .getRepository(CareTeamMember)
    .update({ ...tenant, memberPersonId: IsNull() }, { displayName: REMOVED_NAME, role: REMOVED_NAME });
  const notes = await context.db
    .getRepository(CarePlanInternalNote)
    .update({ ...tenant, body: Not(IsNull()) }, { body: null, removedAt: context.now });
  const versions = await context.db
    .getRepository(CarePlanVersion)
    .update({ ...tenant, anonymisedAt: IsNull() }, { snapshot: {}, anonymisedAt: context.now });
  const version = plan.version + 1;
  await repository.update(
    { tenantId: context.tenantId, id: plan.id },
    {
      ...Object.fromEntries(CARE_PLAN_SECTIONS.map((section) => [section, null])),
      consentScope: null,
      closureReason: null,
      anonymisedAt: context.now,
      version,
    },
  );
  await context.db.getRepository(CarePlanVersion).insert({
    tenantId: context.tenantId,
    id: randomUUID(),
    carePlanId: plan.id,
    version,
    snapshot: {},
    changeSummary: 'Anonymised at the end of its retention',
    changedBy,
    changedAt: context.now,
    anonymisedAt: context.now,
  });
  await recordAudit(context, {
    action: CarePlanAuditAction.ANONYMISED,
    entityType: 'CarePlan',
    entityId: plan.id,
    details: {
      carePlanId: plan.id,
      version,
      retainUntil: plan.retainUntil,
      subjectDeleted: (deleted.affected ?? 0) > 0,
      inputsCleared: inputs.affected ?? 0,
      internalNotesCleared: notes.affected ?? 0,
      versionsEmptied: versions.affected ?? 0,
    },
  });
  forgetPlan(context, plan.id);
  return (await repository.findOneBy({ tenantId: context.tenantId, id: plan.id })) as CarePlan;
}
