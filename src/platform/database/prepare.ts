import { Client } from 'pg';
import type { MixedList } from 'typeorm';
import { logger } from '../logger';
import { databaseName, databaseUrls, withDatabase, type DatabaseUrls } from './connection-urls';
import { createOwnerDataSource } from './data-source';
import { ensureDatabaseRoles } from './roles';

/** Runs work on the server's maintenance database, where databases are created and dropped. */
async function onMaintenanceDatabase<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the database named in the URL when it does not exist (embedded and test set-ups). */
export async function ensureDatabase(adminUrl: string): Promise<void> {
  const name = databaseName(adminUrl);
  await onMaintenanceDatabase(adminUrl, async (client) => {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  });
}

/** Drops the database named in the URL, disconnecting its sessions (throwaway databases only). */
export async function dropDatabase(adminUrl: string): Promise<void> {
  const name = databaseName(adminUrl);
  await onMaintenanceDatabase(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`));
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
