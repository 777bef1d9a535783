import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { recordAudit } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { badUserInput, type FieldProblem } from '../../platform/errors';
import type { IsoDate } from '../../platform/calendar';
import { personIdsByWorkEmail } from '../people';
import { TrainingAuditAction } from './audit-actions';
import { MAX_EVIDENCE_LENGTH, completionDateProblem, trimToNull } from './training-completions';
import { TrainingModule } from './training-module.entity';
import { TrainingRecord } from './training-record.entity';
import { trainingRecordById, trainingRecordsByPersonId } from './training.loaders';
import type { ImportTrainingRecordsInput, TrainingRecordImportRow } from './training.types';

export const MAX_IMPORT_ROWS = 1000;

/*
 * Importing completions from a spreadsheet: every row checked, then all inserted or none.
 * Who may call each mutation is gated in training.rules.ts; who may read a person's training
 * is decided in training.policy.ts (docs/architecture.md, "Authorization").
 */

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
  const rows = input.records;
  if (rows.length === 0) throw badUserInput('There is nothing to import', [{ field: 'records', message: 'At least one row is needed' }]);
  if (rows.length > MAX_IMPORT_ROWS) {
    throw badUserInput(`At most ${MAX_IMPORT_ROWS} rows can be imported at once`, [
      { field: 'records', message: `${rows.length} rows; split the file into imports of at most ${MAX_IMPORT_ROWS}` },
    ]);
  }

  const emails = [...new Set(rows.map((row) => normaliseEmail(row.workEmail)))];
  const codes = [...new Set(rows.map((row) => normaliseCode(row.moduleCode)))];
  const personIdByEmail = await personIdsByWorkEmail(context, emails);
  const modules = await context.db.getRepository(TrainingModule).findBy({ tenantId: context.tenantId, code: In(codes) });
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

  const { completions, problems } = checkImportRows(rows, { personIdByEmail, moduleByCode, alreadyRecorded, today: context.today });
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
