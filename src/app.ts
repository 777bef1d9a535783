import type { DataSource } from 'typeorm';
import { DevIssuer } from './platform/auth/dev-issuer';
import { config } from './platform/config';
import { createAppDataSource } from './platform/database/data-source';
import { buildBaseSchema, type SchemaParts } from './platform/graphql/schema';
import { createHttpApp, type HttpApp } from './platform/http/server';
import { entities, platformModules } from './modules';

/** The parts every schema variant is assembled from. */
export function schemaParts(): SchemaParts {
  return {
    resolvers: platformModules.flatMap((module) => module.resolvers),
    permissions: platformModules.map((module) => module.permissions),
    nodeTypes: platformModules.flatMap((module) => module.nodeTypes),
  };
}

export interface Platform {
  http: HttpApp;
  dataSource: DataSource;
  devIssuer: DevIssuer | undefined;
  close(): Promise<void>;
}

/** The running platform: the application role's pool, the schema and the HTTP app. */
export async function createPlatform(appDatabaseUrl: string): Promise<Platform> {
  const dataSource = createAppDataSource(appDatabaseUrl, entities);
  await dataSource.initialize();
  try {
    const baseSchema = await buildBaseSchema(schemaParts());
    const devIssuer = config().devIssuerEnabled ? await DevIssuer.load() : undefined;
    const routes = platformModules.flatMap((module) => (module.httpRoutes ? [module.httpRoutes] : []));
    const http = createHttpApp({ dataSource, baseSchema, devIssuer, routes });
    return {
      http,
      dataSource,
      devIssuer,
      async close() {
        await http.close();
        await dataSource.destroy();
      },
    };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
