import { Client } from 'pg';
import { config } from '../config';
import { databaseName } from './connection-urls';

const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Creates the owner and application roles when missing and gives them the database-level
 * grants they need. Runs as the bootstrap identity (DATABASE_URL) before migrations.
 * Existing roles are left as they are, passwords included: an operator may have rotated them.
 */
export async function ensureDatabaseRoles(adminUrl: string): Promise<void> {
  const { ownerRole, ownerPassword, appRole, appPassword } = config();
  const database = databaseName(adminUrl);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await client.query<{ rolname: string }>(
      'select rolname from pg_roles where rolname = any($1)',
      [[ownerRole, appRole]],
    );
    const names = new Set(existing.rows.map((row) => row.rolname));
    if (!names.has(ownerRole)) {
      await client.query(
        `CREATE ROLE "${ownerRole}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD ${quoteLiteral(ownerPassword)}`,
      );
    }
    if (!names.has(appRole)) {
      // The server's identity: it must never be able to step around row-level security.
      await client.query(
        `CREATE ROLE "${appRole}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT PASSWORD ${quoteLiteral(appPassword)}`,
      );
    }
    await client.query(`GRANT CONNECT, CREATE, TEMPORARY ON DATABASE "${database}" TO "${ownerRole}"`);
    await client.query(`GRANT CONNECT ON DATABASE "${database}" TO "${appRole}"`);
    // No temporary objects for the server: a temp table or function could shadow what a
    // function without a fixed search_path looks up. Only the database's owner can revoke it.
    await client.query(`REVOKE TEMPORARY ON DATABASE "${database}" FROM PUBLIC`);
    // Since PostgreSQL 15 the public schema is not writable by everyone; the owner needs it.
    await client.query(`GRANT USAGE, CREATE ON SCHEMA public TO "${ownerRole}"`);
  } finally {
    await client.end();
  }
}
