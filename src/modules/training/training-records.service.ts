import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { badUserInput, conflict, notFound, type FieldProblem } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { personById } from '../people';
import type { IsoDate } from '../../platform/calendar';
import { TrainingAuditAction } from './audit-actions';
import { expiryOf } from './eligibility';
import { MAX_EVIDENCE_LENGTH, completionDateProblem, trimToNull } from './training-completions';
import { TrainingRecord } from './training-record.entity';
import { requireMaySeeTrainingOf } from './training.policy';
import { trainingModuleById, trainingRecordById, trainingRecordsByPersonId } from './training.loaders';
import type { RecordTrainingInput } from './training.types';

/*
 * Training records: who completed what and when, one at a time (imports are in training-import.service.ts).
 * Who may call each mutation is gated in training.rules.ts; who may read a person's training
 * is decided in training.policy.ts (docs/architecture.md, "Authorization").
 */

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

export async function recordTraining(context: RequestContext, input: RecordTrainingInput): Promise<TrainingRecord> {
  const personId = idOf('Person', input.personId, 'personId');
  const moduleId = idOf('TrainingModule', input.moduleId, 'moduleId');
  const problems: FieldProblem[] = [];
  const dateProblem = completionDateProblem(input.completedOn, context.today);
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
