import { GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { ArgsType, Field, ID, InterfaceType, Int, ObjectType, type ClassType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import type { RequestContext } from '../context';
import { toGlobalId } from './global-id';

/**
 * Relay's Node interface. The `id` every implementing type exposes is made a global ID in
 * one place (applyGlobalIds) rather than by a field resolver per type.
 */
@InterfaceType({
  description: 'An object with a globally unique, opaque ID; fetch any of them again with `node(id:)`.',
  resolveType: (value) => nodeTypeNameOf(value),
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global ID.' })
  id: string;
}

/** How `node(id:)` loads one type; `load` must authorise exactly like the type's own query. */
export interface NodeType<T extends object = object> {
  typeName: string;
  entity: Function;
  load(context: RequestContext, id: string): Promise<T | null | undefined>;
}

const nodeTypes = new Map<string, NodeType>();
const typeNameByEntity = new Map<Function, string>();

export function registerNodeTypes(types: readonly NodeType[]): void {
  for (const type of types) {
    nodeTypes.set(type.typeName, type);
    typeNameByEntity.set(type.entity, type.typeName);
  }
}

export function nodeType(typeName: string): NodeType | undefined {
  return nodeTypes.get(typeName);
}

function nodeTypeNameOf(value: object): string | undefined {
  return typeNameByEntity.get(value.constructor);
}

/** Replaces the `id` resolver of every Node type with one returning the global ID. */
export function applyGlobalIds(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || !type.getInterfaces().some((i) => i.name === 'Node')) continue;
    const field = type.getFields().id;
    const typeName = type.name;
    field.resolve = (source: { id: string }) => toGlobalId(typeName, source.id);
  }
  return schema;
}

@ObjectType({ description: 'Relay page information for forward pagination.' })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field({ description: 'Always false: pages are read forwards only.' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `How many items to return (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).` })
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor (an endCursor from a previous page).' })
  after?: string;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** What a paginated resolver returns; totalCount is a lazy getter, so it costs a query only when asked. */
export interface ConnectionResult<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  readonly totalCount: Promise<number>;
}

/** A `<Name>Connection` and `<Name>Edge` type pair for a node type. */
export function Connection<T extends object>(typeName: string, NodeClass: ClassType<T>) {
  @ObjectType(`${typeName}Edge`)
  class EdgeType {
    @Field()
    cursor: string;

    @Field(() => NodeClass)
    node: T;
  }

  // Never referenced by a resolver, so type-graphql does not emit it; only its fields are inherited.
  @ObjectType(`${typeName}ConnectionBase`)
  abstract class ConnectionType {
    @Field(() => [EdgeType])
    edges: EdgeType[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'How many items match, across all pages.' })
    totalCount: number;
  }
  return ConnectionType;
}
