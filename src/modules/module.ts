import type { ModulePermissions } from '../platform/graphql/permissions';
import type { NodeType } from '../platform/graphql/relay';
import type { HttpRoutes } from '../platform/http/routes';


/** What a domain module contributes to the platform; src/modules/index.ts lists them all. */
export interface PlatformModule {
  name: string;
  entities: Function[];
  resolvers: Function[];
  permissions: ModulePermissions;
  nodeTypes: NodeType[];
  /** Plain HTTP routes for callers without an account (see HttpRoutes). */
  httpRoutes?: HttpRoutes;
}
