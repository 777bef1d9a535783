import type { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Viewer } from '../context';
import type { RequestContext } from '../context';
import { createApolloServer } from './apollo';

/**
 * Chooses the schema a request runs against (docs/architecture.md, "Request path"). Variants are keyed by
 * organisation, its configuration version and the caller's audience; each distinct schema
 * gets one started Apollo Server. Today every key projects to the base schema: audience
 * projections and organisation taxonomies plug in at `project`.
 */
export class SchemaRegistry {
  private readonly variants = new Map<string, Promise<ApolloServer<RequestContext>>>();
  private readonly servers = new WeakMap<GraphQLSchema, Promise<ApolloServer<RequestContext>>>();

  constructor(private readonly baseSchema: GraphQLSchema) {}

  static keyFor(viewer: Viewer): string {
    return `${viewer.organisation.id}:${viewer.organisation.configurationVersion}:${viewer.audience}`;
  }

  serverFor(viewer: Viewer): Promise<ApolloServer<RequestContext>> {
    const key = SchemaRegistry.keyFor(viewer);
    let server = this.variants.get(key);
    if (!server) {
      this.forgetOlderConfigurations(viewer);
      server = this.serverForSchema(this.project(viewer));
      server.catch(() => this.variants.delete(key));
      this.variants.set(key, server);
    }
    return server;
  }

  /** A configuration change makes the organisation's earlier variants unreachable: drop them. */
  private forgetOlderConfigurations(viewer: Viewer): void {
    const prefix = `${viewer.organisation.id}:`;
    const current = `${prefix}${viewer.organisation.configurationVersion}:`;
    for (const key of this.variants.keys()) {
      if (key.startsWith(prefix) && !key.startsWith(current)) this.variants.delete(key);
    }
  }

  /** How many variants are cached: the cost the registry's benchmark measures. */
  get size(): number {
    return this.variants.size;
  }

  private project(_viewer: Viewer): GraphQLSchema {
    return this.baseSchema;
  }

  private serverForSchema(schema: GraphQLSchema): Promise<ApolloServer<RequestContext>> {
    let server = this.servers.get(schema);
    if (!server) {
      server = createApolloServer(schema);
      this.servers.set(schema, server);
    }
    return server;
  }

  async stop(): Promise<void> {
    const servers = await Promise.allSettled([...this.variants.values()]);
    const unique = new Set(servers.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])));
    await Promise.all([...unique].map((server) => server.stop()));
    this.variants.clear();
  }
}
