/**
 * Configuration, read once from the environment with documented defaults.
 * README.md lists every variable; keep the two in step.
 */
export interface PlatformConfig {
  nodeEnv: string;
  port: number;
  /** Superuser/bootstrap connection used by `npm run migrate` and the seeds; unset = embedded PostgreSQL. */
  databaseUrl: string | undefined;
  /** Role names and passwords the migrate step creates when missing. */
  ownerRole: string;
  ownerPassword: string;
  appRole: string;
  appPassword: string;
  /** Explicit connection string for the application role; derived from databaseUrl when unset. */
  databaseAppUrl: string | undefined;
  /** Run the migrate step (roles + migrations) in `npm start`; off where a separate job migrates. */
  migrateOnStart: boolean;
  /** Seed the demo organisations on start even when not on the embedded default. */
  seedDemoData: boolean;
  statementTimeoutMs: number;
  poolSize: number;
  /** Each organisation's share of this server instance: tenant transactions at once, requests waiting, and for how long. */
  tenantConcurrency: number;
  tenantQueueLimit: number;
  tenantQueueTimeoutMs: number;
  /** Estimated cost (graphql/cost.ts) one organisation's operations may have running at once. */
  tenantCostInFlight: number;
  embeddedPostgresPort: number;
  /** The built-in development token issuer; always off in production. */
  devIssuerEnabled: boolean;
  devIssuerKeyFile: string | undefined;
  tokenAudience: string;
  /** The longest lifetime, in seconds, of a token the platform accepts (`exp` − `iat`). */
  tokenMaxLifetimeSeconds: number;
  introspection: boolean;
  /** Send `x-sql-statements` (statements per operation) with GraphQL responses: tests and local work only. */
  statementCountHeader: boolean;
  logLevel: string;
  bodyLimit: string;
  /** Minutes between the server's retention sweeps of free text past each scheme's period; 0 = none (run `npm run retention` instead). */
  retentionSweepMinutes: number;
  limits: { maxDepth: number; maxCost: number; maxAliases: number; maxTokens: number; maxDirectives: number };
}

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Environment variable ${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

function positive(name: string, fallback: number): number {
  const value = integer(name, fallback);
  if (value < 1) throw new Error(`Environment variable ${name} must be at least 1, got "${process.env[name]}"`);
  return value;
}

function flag(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase());
}

function sqlIdentifier(name: string, fallback: string): string {
  const value = process.env[name] || fallback;
  // Role names are spliced into DDL; only plain identifiers are accepted.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(value)) {
    throw new Error(`Environment variable ${name} must be a lower-case SQL identifier, got "${value}"`);
  }
  return value;
}

export function loadConfig(): PlatformConfig {
  const nodeEnv = process.env.NODE_ENV || 'development';
  const production = nodeEnv === 'production';
  const poolSize = integer('DB_POOL_SIZE', 10);
  const maxCost = integer('GRAPHQL_MAX_COST', 5000);
  return {
    nodeEnv,
    port: integer('PORT', 4000),
    databaseUrl: process.env.DATABASE_URL || undefined,
    ownerRole: sqlIdentifier('DB_OWNER_ROLE', 'milo_owner'),
    ownerPassword: process.env.DB_OWNER_PASSWORD || 'milo_owner',
    appRole: sqlIdentifier('DB_APP_ROLE', 'milo_app'),
    appPassword: process.env.DB_APP_PASSWORD || 'milo_app',
    databaseAppUrl: process.env.DATABASE_APP_URL || undefined,
    migrateOnStart: flag('MIGRATE_ON_START', true),
    seedDemoData: flag('SEED_DEMO_DATA', false),
    statementTimeoutMs: integer('DB_STATEMENT_TIMEOUT_MS', 5000),
    poolSize,
    tenantConcurrency: positive('DB_TENANT_CONCURRENCY', Math.max(1, Math.floor(poolSize / 2))),
    tenantQueueLimit: integer('DB_TENANT_QUEUE_LIMIT', 50),
    tenantQueueTimeoutMs: integer('DB_TENANT_QUEUE_TIMEOUT_MS', 10_000),
    tenantCostInFlight: integer('DB_TENANT_COST_IN_FLIGHT', maxCost),
    embeddedPostgresPort: integer('EMBEDDED_POSTGRES_PORT', 54329),
    devIssuerEnabled: !production && flag('DEV_ISSUER_ENABLED', true),
    devIssuerKeyFile: process.env.DEV_ISSUER_KEY_FILE || undefined,
    tokenAudience: process.env.TOKEN_AUDIENCE || 'milo-platform',
    tokenMaxLifetimeSeconds: integer('TOKEN_MAX_LIFETIME', 12 * 60 * 60),
    introspection: !production && flag('GRAPHQL_INTROSPECTION', true),
    statementCountHeader: !production && flag('SQL_STATEMENT_HEADER', nodeEnv === 'test'),
    logLevel: process.env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    bodyLimit: process.env.BODY_LIMIT || '1mb',
    retentionSweepMinutes: integer('RETENTION_SWEEP_MINUTES', 60),
    limits: {
      maxDepth: integer('GRAPHQL_MAX_DEPTH', 10),
      maxCost,
      maxAliases: integer('GRAPHQL_MAX_ALIASES', 15),
      maxTokens: integer('GRAPHQL_MAX_TOKENS', 2000),
      maxDirectives: integer('GRAPHQL_MAX_DIRECTIVES', 20),
    },
  };
}

let cached: PlatformConfig | undefined;

/** The process-wide configuration; tests may call resetConfig() after changing the environment. */
export function config(): PlatformConfig {
  cached ??= loadConfig();
  return cached;
}

export function resetConfig(): void {
  cached = undefined;
}
