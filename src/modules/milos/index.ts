import type { PlatformModule } from '../module';
import { Milo } from './milo.entity';
import { MiloStatusChange } from './milo-status-change.entity';

export { Milo, MiloStatusChange };
export { MiloStatus, canMove, effectiveStatus } from './milo-lifecycle';

// Issue 3 in progress: memberships and their history are mapped; the lifecycle service and
// the Lead MILO views follow (see the commit trail).
export const milosModule: PlatformModule = {
  name: 'milos',
  entities: [Milo, MiloStatusChange],
  resolvers: [],
  permissions: {},
  nodeTypes: [],
};
