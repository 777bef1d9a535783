import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { migrations } from '../../migrations';
import { seedDemoData } from '../../seeds';
import { entities } from '../../src/modules';
import { resetConfig } from '../../src/platform/config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/dev/embedded-postgres';
import { withDatabase } from '../../src/platform/database/connection-urls';
import { dropDatabase, ensureDatabase, migrateDatabase } from '../../src/platform/database/prepare';

declare global {
  // Shared with global-teardown, which jest runs in this same process.
  var __miloTestTeardown: (() => Promise<void>) | undefined;
}

/**
 * One fresh database per test run: on DATABASE_URL's server when set, else on a throwaway
 * embedded PostgreSQL. Migrated and seeded once; test files share it and create their own
 * rows where they need to change things.
 */
export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = 'test';
  process.env.DEV_ISSUER_KEY_FILE = path.join(os.tmpdir(), `milo-test-issuer-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  resetConfig();

  let embedded: EmbeddedPostgresHandle | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ persistent: false, port: 0 });
    serverUrl = embedded.url;
  }
  const database = `milo_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const adminUrl = withDatabase(serverUrl, database);
  await ensureDatabase(adminUrl);
  const urls = await migrateDatabase(adminUrl, entities, migrations);
  await seedDemoData(urls.owner);

  process.env.TEST_ADMIN_URL = urls.admin;
  process.env.TEST_OWNER_URL = urls.owner;
  process.env.TEST_APP_URL = urls.app;

  globalThis.__miloTestTeardown = async () => {
    await dropDatabase(adminUrl);
    await embedded?.stop();
  };
}
