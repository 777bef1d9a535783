import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { badUserInput, conflict, notFound } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { organisationById } from '../organisations';
import { TrainingAuditAction } from './audit-actions';
import { trimToNull } from './training-completions';
import { TrainingModule } from './training-module.entity';
import { trainingModuleById } from './training.loaders';
import type { CreateTrainingModuleInput, UpdateTrainingModuleInput } from './training.types';

/*
 * The training catalogue: the modules people train on, read by every member, changed by scheme admins.
 * Who may call each mutation is gated in training.rules.ts; who may read a person's training
 * is decided in training.policy.ts (docs/architecture.md, "Authorization").
 */

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
