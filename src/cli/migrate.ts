import 'reflect-metadata';
import { migrations } from '../../migrations';
import { entities } from '../modules';
import { openDatabaseServer } from '../platform/database/database-server';
import { migrateDatabase } from '../platform/database/prepare';
import { logger } from '../platform/logger';

/** `npm run migrate`: creates the roles when missing and applies pending migrations. */
async function main(): Promise<void> {
  const server = await openDatabaseServer();
  try {
    await migrateDatabase(server.adminUrl, entities, migrations);
    logger.info('database is up to date');
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  logger.error({ err: error }, 'migration failed');
  process.exitCode = 1;
});
