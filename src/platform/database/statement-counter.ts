import type { Logger, QueryRunner } from 'typeorm';
import type { Logger as PinoLogger } from 'pino';

/**
 * Counts SQL statements per query runner (one runner serves one GraphQL operation), so a
 * request can report how many statements it cost: the guard against N+1 queries.
 */
export class StatementCountingLogger implements Logger {
  constructor(private readonly output: PinoLogger) {}

  logQuery(query: string, _parameters?: unknown[], queryRunner?: QueryRunner): void {
    if (queryRunner) {
      queryRunner.data = { ...queryRunner.data, statements: statementCount(queryRunner) + 1 };
    }
    this.output.trace({ query }, 'sql');
  }

  logQueryError(error: string | Error, query: string): void {
    this.output.debug({ err: error, query }, 'sql failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.output.warn({ durationMs: time, query }, 'slow sql');
  }

  logSchemaBuild(message: string): void {
    this.output.debug(message);
  }

  logMigration(message: string): void {
    this.output.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.output.warn(String(message));
    else this.output.debug(String(message));
  }
}

export function statementCount(queryRunner: QueryRunner): number {
  return (queryRunner.data as { statements?: number } | undefined)?.statements ?? 0;
}
