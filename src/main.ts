import 'reflect-metadata';
import type { Server } from 'node:http';
import { migrations } from '../migrations';
import { seedDemoData } from '../seeds';
import { createPlatform } from './app';
import { entities } from './modules';
import { startRetentionSweep, type RetentionSweeper } from './modules/retention';
import { config } from './platform/config';
import { databaseUrls } from './platform/database/connection-urls';
import { openDatabaseServer } from './platform/database/database-server';
import { migrateDatabase } from './platform/database/prepare';
import { logger } from './platform/logger';

/**
 * `npm start`: the database (DATABASE_URL, or embedded PostgreSQL), migrations, demo seeds,
 * then GraphQL on PORT. Ctrl-C stops the HTTP server, the pool and the embedded database.
 */
async function main(): Promise<void> {
  const settings = config();
  // A deployment whose migrations run as a separate job needs no bootstrap credentials here.
  const appOnly = !settings.migrateOnStart && settings.databaseAppUrl !== undefined;
  const database = appOnly ? undefined : await openDatabaseServer();
  let httpServer: Server | undefined;
  let platform: Awaited<ReturnType<typeof createPlatform>> | undefined;
  let retention: RetentionSweeper | undefined;
  let stopping = false;

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await retention?.stop();
    await new Promise<void>((resolve) => (httpServer ? httpServer.close(() => resolve()) : resolve()));
    await platform?.close().catch((error) => logger.error({ err: error }, 'closing the platform failed'));
    await database?.stop().catch((error) => logger.error({ err: error }, 'stopping PostgreSQL failed'));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  try {
    let appUrl = settings.databaseAppUrl;
    if (database) {
      const urls = settings.migrateOnStart
        ? await migrateDatabase(database.adminUrl, entities, migrations)
        : databaseUrls(database.adminUrl);
      if (database.embedded || settings.seedDemoData) await seedDemoData(urls.owner);
      appUrl = urls.app;
    }
    platform = await createPlatform(appUrl as string);
    const app = platform.http.app;
    httpServer = await new Promise<Server>((resolve, reject) => {
      const server = app.listen(settings.port, () => resolve(server));
      server.once('error', reject);
    });
  } catch (error) {
    await platform?.close().catch(() => undefined);
    await database?.stop().catch(() => undefined);
    throw error;
  }

  // Free text past each scheme's retention period is hidden on read at once; this removes it.
  retention = startRetentionSweep(platform.dataSource, settings.retentionSweepMinutes);

  const url = `http://localhost:${settings.port}/graphql`;
  logger.info({ url }, 'MILO Platform is serving GraphQL');
  if (settings.devIssuerEnabled) {
    process.stdout.write(
      [
        '',
        `  MILO Platform: ${url}`,
        '  Mint a development token, then call the API:',
        '    TOKEN=$(npm run -s token -- --org hampshire-constabulary --roles SCHEME_ADMIN)',
        `    curl -s ${url} -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
        `      -d '{"query":"{ viewer { subject roles organisation { name } } }"}'`,
        '',
      ].join('\n') + '\n',
    );
  }
}

main().catch((error) => {
  logger.fatal({ err: error }, 'start-up failed');
  process.exit(1);
});
