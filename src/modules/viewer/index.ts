import { isAuthenticated } from '../../platform/graphql/permissions';
import type { PlatformModule } from '../module';
import { ViewerResolver } from './viewer.resolver';

export const viewerModule: PlatformModule = {
  name: 'viewer',
  entities: [],
  resolvers: [ViewerResolver],
  permissions: {
    Query: { viewer: isAuthenticated, node: isAuthenticated },
  },
  nodeTypes: [],
};
