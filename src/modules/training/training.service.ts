import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { recordAudit } from '../../platform/audit';
import { TrainingAuditAction } from './audit-actions';
import type { RequestContext } from '../../platform/context';
import { badUserInput, conflict, forbidden, notFound, type FieldProblem } from '../../platform/errors';
import { decodeGlobalId, idOf } from '../../platform/graphql/global-id';
import { maySeeTrainingOf } from '../milos/milo-access';
import { organisationById } from '../organisations';
import { personById } from '../people';
import { schemeById, type Scheme } from '../schemes';
import type { IsoDate } from '../../platform/calendar';
import { expiryOf, type Eligibility, type RequirementKind } from './eligibility';
import { eligibilityOf, today } from './training-eligibility.service';
import { TrainingModule } from './training-module.entity';
import { TrainingRecord } from './training-record.entity';
import { TrainingRequirement } from './training-requirement.entity';
import type { SchemeRoleCode } from '../schemes/scheme-role';
import {
  requirementById,
  requirementKey,
  requirementsBySchemeRole,
  trainingModuleById,
  trainingRecordById,
  trainingRecordsByPersonId,
} from './training.loaders';
import type {
  CreateTrainingModuleInput,
  ImportTrainingRecordsInput,
  RecordTrainingInput,
  SetTrainingRequirementsInput,
  TrainingRecordImportRow,
  TrainingRequirementInput,
  UpdateTrainingModuleInput,
} from './training.types';

/** Training before this is not worth recording (and the table refuses it). */
export const EARLIEST_COMPLETION: IsoDate = '1990-01-01';
export const MAX_IMPORT_ROWS = 1000;
export const MAX_REQUIREMENTS_PER_ROLE = 50;
export const MAX_MODULES_PER_REQUIREMENT = 20;
const MAX_MINIMUM_HOURS = 10000;
const MAX_EVIDENCE_LENGTH = 500;

/* ------------------------------------------------------------------------------------------
 * Catalogue
 * ---------------------------------------------------------------------------------------- */

/** The organisation's catalogue, by code: any member may read it (it is what they train for). */
export function listTrainingModules(context: RequestContext, includeInactive = false): Promise<TrainingModule[]> {
  return context.db.getRepository(TrainingModule).find({
    where: { tenantId: context.tenantId, ...(includeInactive ? {} : { active: true }) },
    order: { code: 'ASC' },
  });
}

/** One module of the caller's catalogue; any member may read it, as they may list them. */
export function findTrainingModule(context: RequestContext, id: string): Promise<TrainingModule | null> {
  return context.loaders.use(trainingModuleById).load(id);
}

const trimToNull = (value: string | null | undefined) => value?.trim() || null;

/** The provider organisation's id from a global ID; any organisation on the platform may deliver training. */
async function providerOrganisation(context: RequestContext, globalId: string | null | undefined): Promise<string | null> {
  if (!globalId) return null;
  const id = idOf('Organisation', globalId, 'providerOrganisationId');
  const organisation = await context.loaders.use(organisationById).load(id);
  if (!organisation) {
    throw badUserInput('The provider organisation does not exist', [{ field: 'providerOrganisationId', message: 'No such organisation' }]);
  }
  return id;
}

async function requireUniqueCode(context: RequestContext, code: string, exceptId?: string): Promise<void> {
  const existing = await context.db.getRepository(TrainingModule).findOneBy({ tenantId: context.tenantId, code });
  if (existing && existing.id !== exceptId) throw conflict(`A training module with the code ${code} already exists`);
}

function requireTitle(title: string): string {
  const trimmed = title.trim();
  if (!trimmed) throw badUserInput('The title must not be blank', [{ field: 'title', message: 'Must not be blank' }]);
  return trimmed;
}

/** What an audit event says about a module: its configuration, never who trained on it. */
function moduleSnapshot(module: TrainingModule) {
  return {
    code: module.code,
    title: module.title,
    providerOrganisationId: module.providerOrganisationId,
    providerName: module.providerName,
    hours: module.hours,
    validityMonths: module.validityMonths,
    active: module.active,
  };
}

export async function createTrainingModule(context: RequestContext, input: CreateTrainingModuleInput): Promise<TrainingModule> {
  context.requireRole('SCHEME_ADMIN');
  const repository = context.db.getRepository(TrainingModule);
  const module = repository.create({
    tenantId: context.tenantId,
    id: randomUUID(),
    code: input.code,
    title: requireTitle(input.title),
    description: trimToNull(input.description),
    providerOrganisationId: await providerOrganisation(context, input.providerOrganisationId),
    providerName: trimToNull(input.providerName),
    hours: input.hours,
    validityMonths: input.validityMonths ?? null,
    active: input.active ?? true,
  });
  await requireUniqueCode(context, module.code);
  await repository.insert(module);
  await recordAudit(context, { action: TrainingAuditAction.MODULE_CREATED, entityType: 'TrainingModule', entityId: module.id, details: { after: moduleSnapshot(module) } });
  return (await repository.findOneBy({ tenantId: context.tenantId, id: module.id })) as TrainingModule;
}

export async function updateTrainingModule(context: RequestContext, input: UpdateTrainingModuleInput): Promise<TrainingModule> {
  context.requireRole('SCHEME_ADMIN');
  const id = idOf('TrainingModule', input.id);
  const repository = context.db.getRepository(TrainingModule);
  const before = await repository.findOneBy({ tenantId: context.tenantId, id });
  if (!before) throw notFound('Training module');

  const changes: Partial<TrainingModule> = {};
  // Required fields ignore null ("leave as is"); optional ones are cleared by it.
  if (input.code != null && input.code !== before.code) {
    await requireUniqueCode(context, input.code, id);
    changes.code = input.code;
  }
  if (input.title != null) changes.title = requireTitle(input.title);
  if (input.description !== undefined) changes.description = trimToNull(input.description);
  if (input.providerOrganisationId !== undefined) changes.providerOrganisationId = await providerOrganisation(context, input.providerOrganisationId);
  if (input.providerName !== undefined) changes.providerName = trimToNull(input.providerName);
  if (input.hours != null) changes.hours = input.hours;
  if (input.validityMonths !== undefined) changes.validityMonths = input.validityMonths;
  if (input.active != null) changes.active = input.active;

  const changed = (Object.keys(changes) as Array<keyof TrainingModule>).filter((key) => changes[key] !== before[key]);
  if (changed.length === 0) return before;
  await repository.update({ tenantId: context.tenantId, id }, changes);
  const after = (await repository.findOneBy({ tenantId: context.tenantId, id })) as TrainingModule;
  context.loaders.use(trainingModuleById).clear(id).prime(id, after);
  // Validity and hours feed eligibility, which is computed on read: the change applies to everyone now.
  await recordAudit(context, {
    action: TrainingAuditAction.MODULE_UPDATED,
    entityType: 'TrainingModule',
    entityId: id,
    details: {
      before: Object.fromEntries(changed.map((key) => [key, before[key]])),
      after: Object.fromEntries(changed.map((key) => [key, after[key]])),
    },
  });
  return after;
}

/* ------------------------------------------------------------------------------------------
 * Requirements
 * ---------------------------------------------------------------------------------------- */

/** A scheme of the caller's organisation; other tenants' schemes are invisible (row-level security). */
async function requireScheme(context: RequestContext, globalId: string): Promise<Scheme> {
  const scheme = await context.loaders.use(schemeById).load(idOf('Scheme', globalId, 'schemeId'));
  if (!scheme) throw notFound('Scheme');
  return scheme;
}

/** A scheme role's requirements; any member of the organisation may read what it asks of MILOs. */
export function requirementsOf(context: RequestContext, schemeId: string, role: SchemeRoleCode): Promise<TrainingRequirement[]> {
  return context.loaders.use(requirementsBySchemeRole).load(requirementKey(schemeId, role));
}

export function findTrainingRequirement(context: RequestContext, id: string): Promise<TrainingRequirement | null> {
  return context.loaders.use(requirementById).load(id);
}

/** The modules a requirement accepts, in the order it lists them. */
export async function modulesOfRequirement(context: RequestContext, requirement: TrainingRequirement): Promise<TrainingModule[]> {
  const modules = await context.loaders.use(trainingModuleById).loadMany(requirement.moduleIds);
  return modules.filter((module): module is TrainingModule => module !== null && !(module instanceof Error));
}

/** A requirement as checked, with module ids decoded, ready to insert. */
export interface RequirementDraft {
  title: string;
  kind: RequirementKind;
  moduleIds: string[];
  refreshMonths: number | null;
  minimumHours: number | null;
}

const isWholeNumberBetween = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;

/**
 * Checks a role's new requirements on their own (no database): shape per kind, limits and
 * module ID syntax. Whether the modules are in the caller's catalogue is checked after.
 * Problems name the offending field as `requirements[i].field`.
 */
export function checkRequirementInputs(inputs: readonly TrainingRequirementInput[]): { drafts: RequirementDraft[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (inputs.length > MAX_REQUIREMENTS_PER_ROLE) {
    problems.push({ field: 'requirements', message: `At most ${MAX_REQUIREMENTS_PER_ROLE} requirements per role` });
  }
  const drafts = inputs.map((input, index): RequirementDraft => {
    const at = (field: string) => `requirements[${index}].${field}`;
    const title = input.title.trim();
    if (title.length < 1 || title.length > 200) problems.push({ field: at('title'), message: 'Must be 1 to 200 characters' });
    const globalIds = input.moduleIds ?? [];
    const moduleIds: string[] = [];
    if (input.kind === 'MODULE') {
      if (globalIds.length < 1 || globalIds.length > MAX_MODULES_PER_REQUIREMENT) {
        problems.push({ field: at('moduleIds'), message: `A MODULE requirement needs 1 to ${MAX_MODULES_PER_REQUIREMENT} modules` });
      }
      globalIds.forEach((globalId, position) => {
        const decoded = decodeGlobalId(globalId);
        if (decoded?.typeName !== 'TrainingModule') {
          problems.push({ field: at('moduleIds'), message: `moduleIds[${position}] is not a TrainingModule ID` });
        } else if (moduleIds.includes(decoded.id)) {
          problems.push({ field: at('moduleIds'), message: `moduleIds[${position}] repeats a module` });
        } else {
          moduleIds.push(decoded.id);
        }
      });
      if (input.minimumHours != null) problems.push({ field: at('minimumHours'), message: 'Only a MINIMUM_HOURS requirement has minimum hours' });
      if (input.refreshMonths != null && !isWholeNumberBetween(input.refreshMonths, 1, 240)) {
        problems.push({ field: at('refreshMonths'), message: 'Must be 1 to 240 months' });
      }
    } else {
      if (input.minimumHours == null || !(input.minimumHours > 0) || input.minimumHours > MAX_MINIMUM_HOURS) {
        problems.push({ field: at('minimumHours'), message: `A MINIMUM_HOURS requirement needs more than 0 and at most ${MAX_MINIMUM_HOURS} hours` });
      }
      if (globalIds.length > 0) problems.push({ field: at('moduleIds'), message: 'A MINIMUM_HOURS requirement counts all training: list no modules' });
      if (input.refreshMonths != null) problems.push({ field: at('refreshMonths'), message: 'A MINIMUM_HOURS requirement has no refresh period' });
    }
    return {
      title,
      kind: input.kind,
      moduleIds,
      refreshMonths: input.kind === 'MODULE' ? (input.refreshMonths ?? null) : null,
      minimumHours: input.kind === 'MINIMUM_HOURS' ? (input.minimumHours ?? null) : null,
    };
  });
  return { drafts, problems };
}

/**
 * Replaces a scheme role's requirements as a whole, in the request's transaction. Eligibility
 * is computed on read from the current rows, so the change applies to everyone at once.
 */
export async function setTrainingRequirements(
  context: RequestContext,
  input: SetTrainingRequirementsInput,
): Promise<{ scheme: Scheme; requirements: TrainingRequirement[] }> {
  context.requireRole('SCHEME_ADMIN');
  const scheme = await requireScheme(context, input.schemeId);
  const { drafts, problems } = checkRequirementInputs(input.requirements);
  // Two admins replacing the same set at once would otherwise each delete only the rows their
  // statement saw and both insert: the second waits here and then reads the first's set.
  await context.db.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [
    `training_requirement:${context.tenantId}:${scheme.id}:${input.role}`,
  ]);

  const repository = context.db.getRepository(TrainingRequirement);
  const before = await repository.find({
    where: { tenantId: context.tenantId, schemeId: scheme.id, roleCode: input.role },
    order: { title: 'ASC', id: 'ASC' },
  });
  // One statement for every module named before and after: the catalogue check and the audit's codes.
  const moduleIds = [...new Set([...before, ...drafts].flatMap((requirement) => requirement.moduleIds))];
  const found = await context.loaders.use(trainingModuleById).loadMany(moduleIds);
  const modules = new Map(found.flatMap((module) => (module && !(module instanceof Error) ? [[module.id, module] as const] : [])));
  drafts.forEach((draft, index) => {
    const missing = draft.moduleIds.filter((id) => !modules.has(id));
    if (missing.length > 0) {
      problems.push({ field: `requirements[${index}].moduleIds`, message: `${missing.length} of the modules are not in your training catalogue` });
    }
  });
  if (problems.length > 0) throw badUserInput('The training requirements are not valid', problems);

  const requirements = drafts.map((draft) =>
    repository.create({ tenantId: context.tenantId, id: randomUUID(), schemeId: scheme.id, roleCode: input.role, ...draft }),
  );
  await repository.delete({ tenantId: context.tenantId, schemeId: scheme.id, roleCode: input.role });
  if (requirements.length > 0) await repository.insert(requirements);

  const describe = (requirement: RequirementDraft) => ({
    title: requirement.title,
    kind: requirement.kind,
    modules: requirement.moduleIds.map((id) => modules.get(id)?.code ?? id),
    refreshMonths: requirement.refreshMonths,
    minimumHours: requirement.minimumHours,
  });
  await recordAudit(context, {
    action: TrainingAuditAction.REQUIREMENTS_REPLACED,
    entityType: 'Scheme',
    entityId: scheme.id,
    details: { role: input.role, before: before.map(describe), after: drafts.map(describe) },
  });

  const ordered = [...requirements].sort((a, b) => (a.title === b.title ? a.id.localeCompare(b.id) : a.title < b.title ? -1 : 1));
  context.loaders.use(requirementsBySchemeRole).clear(requirementKey(scheme.id, input.role)).prime(requirementKey(scheme.id, input.role), ordered);
  const byId = context.loaders.use(requirementById);
  before.forEach((requirement) => byId.clear(requirement.id).prime(requirement.id, null));
  ordered.forEach((requirement) => byId.clear(requirement.id).prime(requirement.id, requirement));
  return { scheme, requirements: ordered };
}

/* ------------------------------------------------------------------------------------------
 * Records
 * ---------------------------------------------------------------------------------------- */

/** Training records and eligibility: the person themself, scheme admins and active Lead MILOs. */
async function requireMaySeeTrainingOf(context: RequestContext, personId: string): Promise<void> {
  if (!(await maySeeTrainingOf(context, personId))) {
    throw forbidden("Only the person, scheme admins and active Lead MILOs may see a person's training");
  }
}

export async function trainingRecordsOf(context: RequestContext, personId: string): Promise<TrainingRecord[]> {
  await requireMaySeeTrainingOf(context, personId);
  return context.loaders.use(trainingRecordsByPersonId).load(personId);
}

/** One record, authorised like the person's list of records (node(id:)). */
export async function findTrainingRecord(context: RequestContext, id: string): Promise<TrainingRecord | null> {
  const record = await context.loaders.use(trainingRecordById).load(id);
  if (record) await requireMaySeeTrainingOf(context, record.personId);
  return record;
}

/** When a completion expires by its module's own validity; null = never. Requirements may ask for sooner refreshes. */
export async function expiryOfRecord(context: RequestContext, record: TrainingRecord): Promise<IsoDate | null> {
  const module = await context.loaders.use(trainingModuleById).load(record.moduleId);
  return module ? expiryOf(record, module) : null;
}

/** Problems with a completion date: after today (in the UK) or before records are kept. */
function completionDateProblem(completedOn: IsoDate, todayIs: IsoDate): string | null {
  if (completedOn > todayIs) return 'Must not be in the future';
  if (completedOn < EARLIEST_COMPLETION) return 'Must not be before 1990';
  return null;
}

export async function recordTraining(context: RequestContext, input: RecordTrainingInput): Promise<TrainingRecord> {
  context.requireRole('SCHEME_ADMIN');
  const personId = idOf('Person', input.personId, 'personId');
  const moduleId = idOf('TrainingModule', input.moduleId, 'moduleId');
  const problems: FieldProblem[] = [];
  const dateProblem = completionDateProblem(input.completedOn, today(context));
  if (dateProblem) problems.push({ field: 'completedOn', message: dateProblem });
  const evidenceReference = trimToNull(input.evidenceReference);
  if (evidenceReference && evidenceReference.length > MAX_EVIDENCE_LENGTH) {
    problems.push({ field: 'evidenceReference', message: `At most ${MAX_EVIDENCE_LENGTH} characters` });
  }
  if (input.verified && !context.viewer.personId) {
    problems.push({ field: 'verified', message: 'Only a caller with a person record in the organisation can verify training' });
  }
  // Verified training is what makes a MILO eligible: nobody vouches for their own.
  if (input.verified && personId === context.viewer.personId) {
    problems.push({ field: 'verified', message: 'Nobody verifies their own training: ask another scheme admin' });
  }
  if (problems.length > 0) throw badUserInput('The training record is not valid', problems);

  const [person, module, existing] = await Promise.all([
    context.loaders.use(personById).load(personId),
    context.loaders.use(trainingModuleById).load(moduleId),
    context.loaders.use(trainingRecordsByPersonId).load(personId),
  ]);
  if (!person) throw notFound('Person');
  if (!module) throw notFound('Training module');
  if (!module.active) throw badUserInput('The module is inactive', [{ field: 'moduleId', message: 'Inactive modules cannot be recorded' }]);
  if (existing.some((record) => record.moduleId === moduleId && record.completedOn === input.completedOn)) {
    throw conflict('This completion is already recorded for the person');
  }

  const repository = context.db.getRepository(TrainingRecord);
  const record = repository.create({
    tenantId: context.tenantId,
    id: randomUUID(),
    personId,
    moduleId,
    completedOn: input.completedOn,
    evidenceReference,
    verifiedBy: input.verified ? context.viewer.personId : null,
    verifiedAt: input.verified ? context.now : null,
  });
  await repository.insert(record);
  context.loaders.use(trainingRecordsByPersonId).clear(personId);
  context.loaders.use(trainingRecordById).prime(record.id, record);
  await recordAudit(context, {
    action: TrainingAuditAction.RECORDED,
    entityType: 'TrainingRecord',
    entityId: record.id,
    details: { moduleCode: module.code, completedOn: record.completedOn, verified: input.verified },
  });
  return record;
}

/** What an import row is matched on: emails and codes as people type them in spreadsheets. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();
export const normaliseCode = (code: string) => code.trim().toUpperCase();
export const completionKey = (personId: string, moduleId: string, completedOn: IsoDate) => `${personId}|${moduleId}|${completedOn}`;

/** What the database says about an import's emails, codes and completions (one query each). */
export interface ImportLookups {
  personIdByEmail: ReadonlyMap<string, string>;
  moduleByCode: ReadonlyMap<string, { id: string; active: boolean }>;
  /** completionKey of completions already recorded. */
  alreadyRecorded: ReadonlySet<string>;
  today: IsoDate;
}

export interface ImportedCompletion {
  personId: string;
  moduleId: string;
  completedOn: IsoDate;
  evidenceReference: string | null;
}

/**
 * Checks every row of an import against the lookups and returns either the completions to
 * insert or a problem per bad field of every bad row (`records[3].moduleCode`), so a whole
 * spreadsheet can be corrected in one go.
 */
export function checkImportRows(rows: readonly TrainingRecordImportRow[], lookups: ImportLookups): { completions: ImportedCompletion[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const completions: ImportedCompletion[] = [];
  const firstRowOf = new Map<string, number>();
  rows.forEach((row, index) => {
    const at = (field: string) => `records[${index}].${field}`;
    const before = problems.length;
    const personId = lookups.personIdByEmail.get(normaliseEmail(row.workEmail));
    if (!personId) problems.push({ field: at('workEmail'), message: 'No person in your organisation has this work email' });
    const module = lookups.moduleByCode.get(normaliseCode(row.moduleCode));
    if (!module) problems.push({ field: at('moduleCode'), message: 'No training module in your catalogue has this code' });
    else if (!module.active) problems.push({ field: at('moduleCode'), message: 'The module is inactive' });
    const dateProblem = completionDateProblem(row.completedOn, lookups.today);
    if (dateProblem) problems.push({ field: at('completedOn'), message: dateProblem });
    const evidenceReference = trimToNull(row.evidenceReference);
    if (evidenceReference && evidenceReference.length > MAX_EVIDENCE_LENGTH) {
      problems.push({ field: at('evidenceReference'), message: `At most ${MAX_EVIDENCE_LENGTH} characters` });
    }
    if (!personId || !module) return;
    const key = completionKey(personId, module.id, row.completedOn);
    const earlier = firstRowOf.get(key);
    if (earlier !== undefined) {
      problems.push({ field: `records[${index}]`, message: `Repeats records[${earlier}]: same person, module and date` });
    } else {
      firstRowOf.set(key, index);
      if (lookups.alreadyRecorded.has(key)) problems.push({ field: `records[${index}]`, message: 'Already recorded for this person' });
    }
    if (problems.length === before) completions.push({ personId, moduleId: module.id, completedOn: row.completedOn, evidenceReference });
  });
  return { completions, problems };
}

/**
 * Imports completions all together or not at all. Every row is checked first, with a fixed
 * number of statements whatever the row count: people by email, modules by code, existing
 * completions, then one insert.
 */
export async function importTrainingRecords(context: RequestContext, input: ImportTrainingRecordsInput): Promise<TrainingRecord[]> {
  context.requireRole('SCHEME_ADMIN');
  const rows = input.records;
  if (rows.length === 0) throw badUserInput('There is nothing to import', [{ field: 'records', message: 'At least one row is needed' }]);
  if (rows.length > MAX_IMPORT_ROWS) {
    throw badUserInput(`At most ${MAX_IMPORT_ROWS} rows can be imported at once`, [
      { field: 'records', message: `${rows.length} rows; split the file into imports of at most ${MAX_IMPORT_ROWS}` },
    ]);
  }

  const emails = [...new Set(rows.map((row) => normaliseEmail(row.workEmail)))];
  const codes = [...new Set(rows.map((row) => normaliseCode(row.moduleCode)))];
  const people: Array<{ id: string; email: string }> = await context.db.query(
    `select id, lower(work_email) as email from person where tenant_id = $1 and lower(work_email) = any($2::text[])`,
    [context.tenantId, emails],
  );
  const modules = await context.db.getRepository(TrainingModule).findBy({ tenantId: context.tenantId, code: In(codes) });
  const personIdByEmail = new Map(people.map((person) => [person.email, person.id]));
  const moduleByCode = new Map(modules.map((module) => [module.code, module]));

  // Completions already on record, for the rows whose person and module are known.
  const candidates = rows.flatMap((row) => {
    const personId = personIdByEmail.get(normaliseEmail(row.workEmail));
    const module = moduleByCode.get(normaliseCode(row.moduleCode));
    return personId && module ? [{ personId, moduleId: module.id, completedOn: row.completedOn }] : [];
  });
  const existing: Array<{ person_id: string; module_id: string; completed_on: string }> = candidates.length
    ? await context.db.query(
        `select r.person_id, r.module_id, to_char(r.completed_on, 'YYYY-MM-DD') as completed_on
           from training_record r
           join unnest($2::uuid[], $3::uuid[], $4::date[]) as c(person_id, module_id, completed_on)
             on r.person_id = c.person_id and r.module_id = c.module_id and r.completed_on = c.completed_on
          where r.tenant_id = $1`,
        [context.tenantId, candidates.map((c) => c.personId), candidates.map((c) => c.moduleId), candidates.map((c) => c.completedOn)],
      )
    : [];
  const alreadyRecorded = new Set(existing.map((row) => completionKey(row.person_id, row.module_id, row.completed_on)));

  const { completions, problems } = checkImportRows(rows, { personIdByEmail, moduleByCode, alreadyRecorded, today: today(context) });
  if (problems.length > 0) {
    const badRows = new Set(problems.map((problem) => /^records\[(\d+)\]/.exec(problem.field)?.[1])).size;
    throw badUserInput(`${badRows} of ${rows.length} rows cannot be imported; nothing was imported`, problems);
  }

  const repository = context.db.getRepository(TrainingRecord);
  const records = completions.map((completion) =>
    repository.create({ tenantId: context.tenantId, id: randomUUID(), ...completion, verifiedBy: null, verifiedAt: null }),
  );
  await context.db.query(
    `insert into training_record (tenant_id, id, person_id, module_id, completed_on, evidence_reference)
     select $1::uuid, * from unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::date[], $6::text[])`,
    [
      context.tenantId,
      records.map((record) => record.id),
      records.map((record) => record.personId),
      records.map((record) => record.moduleId),
      records.map((record) => record.completedOn),
      records.map((record) => record.evidenceReference),
    ],
  );
  const recordsOfPerson = context.loaders.use(trainingRecordsByPersonId);
  const byId = context.loaders.use(trainingRecordById);
  for (const record of records) {
    recordsOfPerson.clear(record.personId);
    byId.prime(record.id, record);
  }
  await recordAudit(context, {
    action: TrainingAuditAction.RECORDS_IMPORTED,
    entityType: 'TrainingRecord',
    entityId: null,
    details: { count: records.length, people: new Set(records.map((record) => record.personId)).size },
  });
  return records;
}

/* ------------------------------------------------------------------------------------------
 * Eligibility
 * ---------------------------------------------------------------------------------------- */

/** Whether a person may act in a scheme role on a date (today by default), and why not. */
export async function eligibilityOfPerson(
  context: RequestContext,
  personId: string,
  args: { schemeId: string; role: SchemeRoleCode; asOf?: IsoDate | null },
): Promise<Eligibility> {
  await requireMaySeeTrainingOf(context, personId);
  const scheme = await requireScheme(context, args.schemeId);
  return eligibilityOf(context, { personId, schemeId: scheme.id, role: args.role }, args.asOf ?? today(context));
}
