import type { RequestContext } from '../../platform/context';
import { forbidden } from '../../platform/errors';

/*
 * The training module's access policy. The catalogue and requirements are for any member (they
 * are what people train for); a person's records and eligibility are for the person, scheme
 * admins and active Lead MILOs.
 *
 * Whether the caller is an active Lead MILO is a membership fact, and memberships follow
 * training (a MILO lapses when their training runs out), so training may not ask the milos
 * module itself without a cycle (docs/architecture.md, "Modules"). The milos module hands its
 * answer in through answerTrainingOversightWith when it loads; until then nobody is an
 * overseer, so a missing wiring refuses rather than shows.
 */

/** Whether the caller oversees MILOs (in some scheme) today. */
export type TrainingOversight = (context: RequestContext) => Promise<boolean>;

let overseesMilos: TrainingOversight = async () => false;

/** Called once by the milos module, which owns memberships and their status today. */
export function answerTrainingOversightWith(oversight: TrainingOversight): void {
  overseesMilos = oversight;
}

/** Training records and eligibility of a person: their own, and for scheme admins and active Lead MILOs. */
export async function maySeeTrainingOf(context: RequestContext, personId: string): Promise<boolean> {
  if (context.viewer.personId === personId || context.hasRole('SCHEME_ADMIN')) return true;
  return overseesMilos(context);
}

export async function requireMaySeeTrainingOf(context: RequestContext, personId: string): Promise<void> {
  if (!(await maySeeTrainingOf(context, personId))) {
    throw forbidden("Only the person, scheme admins and active Lead MILOs may see a person's training");
  }
}
