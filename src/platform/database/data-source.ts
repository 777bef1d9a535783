import { DataSource, type MixedList } from 'typeorm';
import { config } from '../config';
import { logger } from '../logger';
import { StatementCountingLogger } from './statement-counter';

// Entities are plain column mappings: relations between tenant tables are composite
// (tenant_id, id) foreign keys kept in the migrations, and related rows load through
// DataLoaders, so no TypeORM relation metadata is declared.
type EntityList = MixedList<Function>;

/** The server's connection pool, as the application role: bound by row-level security. */
export function createAppDataSource(url: string, entities: EntityList): DataSource {
  const settings = config();
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    synchronize: false,
    migrationsRun: false,
    poolSize: settings.poolSize,
    logger: new StatementCountingLogger(logger.child({ component: 'sql' })),
    maxQueryExecutionTime: 1000,
    extra: {
      // A runaway statement is cut off by PostgreSQL itself, not left to hold a connection.
      options: `-c statement_timeout=${settings.statementTimeoutMs}`,
      application_name: 'milo-platform',
    },
  });
}

/** The schema owner's connection: runs migrations and seeds. */
export function createOwnerDataSource(url: string, entities: EntityList, migrations: MixedList<Function>): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    poolSize: 2,
    logger: new StatementCountingLogger(logger.child({ component: 'sql-owner' })),
    extra: { application_name: 'milo-platform-migrate' },
  });
}
