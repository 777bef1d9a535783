import type { PlatformModule } from '../module';
import { answerTrainingOversightWith } from '../training';
import { callerMemberships } from './caller-memberships';
import { Milo } from './milo.entity';
import { MiloStatusChange } from './milo-status-change.entity';
import { MilosResolver, MiloStatusChangeResolver, PersonMembershipsResolver, SchemeCoverageResolver } from './milos.resolver';
import { miloPermissions } from './milos.rules';
import { findMilo } from './milos.service';

export { Milo };
export { MiloStatus, canMove, effectiveStatus } from './milo-lifecycle';
export { MiloType } from './milo.types';
export { callerMemberships, type CallerMemberships } from './caller-memberships';
export { effectiveStatusOf } from './effective-status';
export { maySeeMilo } from './milo.policy';
export { miloById } from './milos.loaders';

// Active Lead MILOs see the training of the people they oversee; training cannot ask this
// module without a cycle, so the answer is handed to it here (see training.policy.ts).
answerTrainingOversightWith((context) => callerMemberships(context).isActiveLead());

export const milosModule: PlatformModule = {
  name: 'milos',
  entities: [Milo, MiloStatusChange],
  resolvers: [MilosResolver, MiloStatusChangeResolver, PersonMembershipsResolver, SchemeCoverageResolver],
  permissions: miloPermissions,
  nodeTypes: [{ typeName: 'Milo', entity: Milo, load: findMilo }],
};
