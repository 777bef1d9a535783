import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { badUserInput, notFound, type FieldProblem } from '../../platform/errors';
import { decodeGlobalId, idOf } from '../../platform/graphql/global-id';
import { schemeById, type Scheme, type SchemeRoleCode } from '../schemes';
import { TrainingAuditAction } from './audit-actions';
import type { RequirementKind } from './eligibility';
import type { TrainingModule } from './training-module.entity';
import { TrainingRequirement } from './training-requirement.entity';
import { requirementById, requirementKey, requirementsBySchemeRole, trainingModuleById } from './training.loaders';
import type { SetTrainingRequirementsInput, TrainingRequirementInput } from './training.types';

export const MAX_REQUIREMENTS_PER_ROLE = 50;
export const MAX_MODULES_PER_REQUIREMENT = 20;
const MAX_MINIMUM_HOURS = 10000;

/*
 * Training requirements: what each scheme role needs before deployment and to stay deployed.
 * Who may call each mutation is gated in training.rules.ts; who may read a person's training
 * is decided in training.policy.ts (docs/architecture.md, "Authorization").
 */

/** A scheme of the caller's organisation; other tenants' schemes are invisible (row-level security). */
export async function requireScheme(context: RequestContext, globalId: string): Promise<Scheme> {
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
