import 'reflect-metadata';
import { migrations } from '../../migrations';
import { seedDemoData } from '../../seeds';
import { entities } from '../modules';
import { openDatabaseServer } from '../platform/database/database-server';
import { migrateDatabase } from '../platform/database/prepare';
import { logger } from '../platform/logger';

/** `npm run seed`: migrates, then writes the demo organisations (idempotent). */
async function main(): Promise<void> {
  const server = await openDatabaseServer();
  try {
    const urls = await migrateDatabase(server.adminUrl, entities, migrations);
    await seedDemoData(urls.owner);
    logger.info('demo organisations seeded');
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  logger.error({ err: error }, 'seeding failed');
  process.exitCode = 1;
});
