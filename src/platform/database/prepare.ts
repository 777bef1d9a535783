import { Client } from 'pg';
import type { MixedList } from 'typeorm';
import { logger } from '../logger';
import { databaseUrls, type DatabaseUrls } from './connection-urls';
import { createOwnerDataSource } from './data-source';
import { ensureDatabaseRoles } from './roles';

/** Creates the database named in the URL when it does not exist (embedded and test set-ups). */
export async function ensureDatabase(adminUrl: string): Promise<void> {
  const target = new URL(adminUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(adminUrl);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * The migrate step: roles when missing, then every pending migration as the owner.
 * Returns the connection strings of the three identities.
 */
export async function migrateDatabase(
  adminUrl: string,
  entities: MixedList<Function>,
  migrations: MixedList<Function>,
): Promise<DatabaseUrls> {
  await ensureDatabaseRoles(adminUrl);
  const urls = databaseUrls(adminUrl);
  const owner = createOwnerDataSource(urls.owner, entities, migrations);
  await owner.initialize();
  try {
    const applied = await owner.runMigrations({ transaction: 'each' });
    for (const migration of applied) logger.info({ migration: migration.name }, 'migration applied');
  } finally {
    await owner.destroy();
  }
  return urls;
}
