import { Client } from 'pg';
import { config } from '../config';
import { withDatabase } from './connection-urls';
import { logger } from '../logger';
import { startEmbeddedPostgres } from '../../dev/embedded-postgres';
import { ensureDatabase } from './prepare';

/** The PostgreSQL server the platform uses: DATABASE_URL's, or the embedded default. */
export interface DatabaseServer {
  /** Bootstrap (superuser) connection string of the platform's database. */
  adminUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export const EMBEDDED_DATABASE = 'milo';

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * With DATABASE_URL, that server. Without it, the embedded PostgreSQL in .data/: reused when
 * another process (a running `npm start`) already serves it, started otherwise.
 */
export async function openDatabaseServer(): Promise<DatabaseServer> {
  const settings = config();
  if (settings.databaseUrl) {
    return { adminUrl: settings.databaseUrl, embedded: false, stop: async () => undefined };
  }
  const port = settings.embeddedPostgresPort;
  const running = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  if (await answers(running)) {
    logger.info({ port }, 'using the embedded PostgreSQL another process is running');
    const adminUrl = withDatabase(running, EMBEDDED_DATABASE);
    await ensureDatabase(adminUrl);
    return { adminUrl, embedded: true, stop: async () => undefined };
  }
  const handle = await startEmbeddedPostgres({ port, persistent: true });
  logger.info({ port: handle.port, dataDir: handle.dataDir }, 'embedded PostgreSQL started');
  const adminUrl = withDatabase(handle.url, EMBEDDED_DATABASE);
  try {
    await ensureDatabase(adminUrl);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return { adminUrl, embedded: true, stop: () => handle.stop() };
}
