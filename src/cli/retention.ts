import 'reflect-metadata';
import { entities } from '../modules';
import { sweepRetention } from '../modules/retention';
import { config } from '../platform/config';
import { databaseUrls } from '../platform/database/connection-urls';
import { createAppDataSource } from '../platform/database/data-source';
import { openDatabaseServer } from '../platform/database/database-server';
import { logger } from '../platform/logger';

/** A mistake in the command line: said plainly, without a stack trace. */
class UsageError extends Error {}

/**
 * `npm run retention [-- --now 2027-06-01T00:00:00Z]`: removes free text past each scheme's
 * retention period, for every organisation, each in its own tenant transaction, as the
 * application role (so row-level security applies as it does to the server). Prints what it
 * removed per organisation. `--now` sweeps as of another instant (to rehearse a date ahead).
 */
function nowFromArguments(argv: string[]): Date {
  const index = argv.indexOf('--now');
  if (index === -1) return new Date();
  const value = new Date(argv[index + 1] ?? '');
  if (Number.isNaN(value.getTime())) throw new UsageError('--now needs an ISO date-time, e.g. 2027-06-01T00:00:00Z');
  return value;
}

async function main(): Promise<void> {
  const now = nowFromArguments(process.argv.slice(2));
  const settings = config();
  // A deployment names the application role's connection; otherwise DATABASE_URL's server or the embedded one.
  const server = settings.databaseAppUrl ? undefined : await openDatabaseServer();
  const appUrl = settings.databaseAppUrl ?? databaseUrls((server as NonNullable<typeof server>).adminUrl).app;
  const dataSource = createAppDataSource(appUrl, entities);
  await dataSource.initialize();
  try {
    const results = await sweepRetention(dataSource, now);
    for (const { slug, removed } of results) {
      process.stdout.write(`${slug}: ${removed ? JSON.stringify(removed) : 'skipped (another sweep is running)'}\n`);
    }
  } finally {
    await dataSource.destroy();
    await server?.stop();
  }
}

main().catch((error) => {
  if (error instanceof UsageError) process.stderr.write(`${error.message}\n`);
  else logger.error({ err: error }, 'retention sweep failed');
  process.exitCode = 1;
});
