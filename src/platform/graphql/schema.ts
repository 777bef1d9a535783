import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import type { ModulePermissions } from './permissions';
import { mergePermissions, permissionsMiddleware } from './permissions';
import { applyGlobalIds, registerNodeTypes, type NodeType } from './relay';

/** What the schema is assembled from: each domain module's resolvers, rules and node types. */
export interface SchemaParts {
  resolvers: Function[];
  permissions: ModulePermissions[];
  nodeTypes: NodeType[];
}

/** The base schema without permissions: what schema/schema.graphql prints. */
export async function buildUnprotectedSchema(parts: SchemaParts): Promise<GraphQLSchema> {
  registerNodeTypes(parts.nodeTypes);
  const schema = await buildSchema({
    resolvers: parts.resolvers as NonEmptyArray<Function>,
    validate: { forbidUnknownValues: false },
  });
  return applyGlobalIds(schema);
}

/** The base schema every variant derives from, with the shield on its root fields (deny by default). */
export async function buildBaseSchema(parts: SchemaParts): Promise<GraphQLSchema> {
  const schema = await buildUnprotectedSchema(parts);
  return applyMiddleware(schema, permissionsMiddleware(schema, mergePermissions(parts.permissions)));
}

/** Stable SDL text, sorted so that the printed file changes only when the schema does. */
export function printSdl(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
