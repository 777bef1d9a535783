import type { RequestContext } from '../../platform/context';
import type { IsoDate } from '../../platform/calendar';
import { eligibilityFor, type Eligibility } from './eligibility';
import type { TrainingModule } from './training-module.entity';
import type { SchemeRoleCode } from '../schemes';
import { requireScheme } from './training-requirements.service';
import { requireMaySeeTrainingOf } from './training.policy';
import { requirementKey, requirementsBySchemeRole, trainingModuleById, trainingRecordsByPersonId } from './training.loaders';

/**
 * Eligibility of a person for a scheme role, from the scheme's current requirements and the
 * person's records. Everything loads through the request's DataLoaders, so asking for sixty
 * people costs the same statements as asking for one.
 */
export async function eligibilityOf(
  context: RequestContext,
  subject: { personId: string; schemeId: string; role: SchemeRoleCode },
  asOf: IsoDate = context.today,
): Promise<Eligibility> {
  const [requirements, records] = await Promise.all([
    context.loaders.use(requirementsBySchemeRole).load(requirementKey(subject.schemeId, subject.role)),
    context.loaders.use(trainingRecordsByPersonId).load(subject.personId),
  ]);
  const moduleIds = [...new Set([...requirements.flatMap((requirement) => requirement.moduleIds), ...records.map((record) => record.moduleId)])];
  const modules = (await context.loaders.use(trainingModuleById).loadMany(moduleIds)).filter(
    (module): module is TrainingModule => module !== null && !(module instanceof Error),
  );
  return eligibilityFor({ requirements, modules, records, asOf });
}

/** Whether a person may act in a scheme role on a date (today by default), and why not. */
export async function eligibilityOfPerson(
  context: RequestContext,
  personId: string,
  args: { schemeId: string; role: SchemeRoleCode; asOf?: IsoDate | null },
): Promise<Eligibility> {
  await requireMaySeeTrainingOf(context, personId);
  const scheme = await requireScheme(context, args.schemeId);
  return eligibilityOf(context, { personId, schemeId: scheme.id, role: args.role }, args.asOf ?? context.today);
}
