import type { PlatformModule } from '../module';
import { Milo } from './milo.entity';
import { MiloStatusChange } from './milo-status-change.entity';
import { MilosResolver, MiloStatusChangeResolver, PersonMembershipsResolver, SchemeCoverageResolver } from './milos.resolver';
import { miloPermissions } from './milos.rules';
import { findMilo } from './milos.service';

export { Milo, MiloStatusChange };
export { MiloStatus, canMove, effectiveStatus } from './milo-lifecycle';
export { MiloType } from './milo.types';
export { effectiveStatusOf, isActiveLeadMilo, mayOverseeScheme, maySeeMilo, maySeeTrainingOf, milosByPersonId } from './milo-access';
export { miloById } from './milos.loaders';

export const milosModule: PlatformModule = {
  name: 'milos',
  entities: [Milo, MiloStatusChange],
  resolvers: [MilosResolver, MiloStatusChangeResolver, PersonMembershipsResolver, SchemeCoverageResolver],
  permissions: miloPermissions,
  nodeTypes: [{ typeName: 'Milo', entity: Milo, load: findMilo }],
};
