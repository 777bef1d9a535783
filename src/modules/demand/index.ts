import type { PlatformModule } from '../module';
import { DemandResolver } from './demand.resolver';
import { demandPermissions } from './demand.rules';

export { SUPPRESSION_THRESHOLD, suppressCount, suppressStatistic, suppressTotal } from './suppression';

/** Demand figures per month and area, with small numbers suppressed. Reads other modules' tables; owns none. */
export const demandModule: PlatformModule = {
  name: 'demand',
  entities: [],
  resolvers: [DemandResolver],
  permissions: demandPermissions,
  nodeTypes: [],
};
