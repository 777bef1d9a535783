import { config } from '../config';

/** Connection strings for the three database identities the platform uses (docs/architecture.md, "SQL conventions"). */
export interface DatabaseUrls {
  /** Bootstrap identity: may create roles; used only by the migrate step. */
  admin: string;
  /** Owns the schema; runs migrations and seeds. */
  owner: string;
  /** The server's identity: NOSUPERUSER NOBYPASSRLS, owns nothing. */
  app: string;
}

function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

export function databaseUrls(adminUrl: string): DatabaseUrls {
  const settings = config();
  return {
    admin: adminUrl,
    owner: withCredentials(adminUrl, settings.ownerRole, settings.ownerPassword),
    app: settings.databaseAppUrl ?? withCredentials(adminUrl, settings.appRole, settings.appPassword),
  };
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** The database name in a connection string, for grants that name the database. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}
