import type { ModulePermissions } from '../platform/graphql/permissions';
import type { NodeType } from '../platform/graphql/relay';

/** What a domain module contributes to the platform; src/modules/index.ts lists them all. */
export interface PlatformModule {
  name: string;
  entities: Function[];
  resolvers: Function[];
  permissions: ModulePermissions;
  nodeTypes: NodeType[];
}
