import type { DataSource } from 'typeorm';
import { withTenantTransaction } from '../../platform/database/tenant-transaction';
import { logger } from '../../platform/logger';
import { removeExpiredFreeText, type FreeTextRemoval } from './free-text-removal';

/*
 * Runs the retention sweep over every organisation, each in a tenant transaction of its own
 * (row-level security keeps each pass to its tenant; one organisation's failure does not undo
 * another's). Several server instances may sweep at once: a transaction-scoped advisory lock
 * per organisation lets one do the work and the others skip it.
 */

export interface OrganisationSweep {
  organisationId: string;
  slug: string;
  /** Null when another instance was sweeping this organisation at the same moment. */
  removed: FreeTextRemoval | null;
}

export async function sweepRetention(dataSource: DataSource, now: Date = new Date(), carryOn: () => boolean = () => true): Promise<OrganisationSweep[]> {
  // The organisation registry is global: the application role reads it without a tenant.
  const organisations: Array<{ id: string; slug: string }> = await dataSource.query(`select id, slug from organisation order by slug`);
  const results: OrganisationSweep[] = [];
  for (const organisation of organisations) {
    // A stopping server finishes the organisation in hand and leaves the rest to the next sweep.
    if (!carryOn()) break;
    const removed = await withTenantTransaction(dataSource, { tenantId: organisation.id }, async (manager) => {
      const [{ locked }]: Array<{ locked: boolean }> = await manager.query(
        `select pg_try_advisory_xact_lock(hashtextextended('milo-retention:' || $1, 0)) as locked`,
        [organisation.id],
      );
      return locked ? removeExpiredFreeText(manager, organisation.id, now) : null;
    });
    results.push({ organisationId: organisation.id, slug: organisation.slug, removed });
  }
  return results;
}

export interface RetentionSweeper {
  /** Stops the timer and resolves once a sweep in progress has finished its organisation. */
  stop(): Promise<void>;
}

/**
 * Sweeps now and then every `minutes` (0 = never) inside the server process. A run that is
 * still going when the next is due is not doubled; a failed run is logged and retried on the
 * next tick. The timer does not keep the process alive.
 */
export function startRetentionSweep(dataSource: DataSource, minutes: number): RetentionSweeper {
  if (minutes <= 0) return { stop: async () => undefined };
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = async () => {
    if (running || stopped || !dataSource.isInitialized) return;
    running = sweep();
    await running;
    running = undefined;
  };
  const sweep = async () => {
    try {
      const results = await sweepRetention(dataSource, new Date(), () => !stopped && dataSource.isInitialized);
      const removed = results.filter((result) => result.removed && Object.values(result.removed).some((count) => count > 0));
      logger.info({ organisations: results.length, removed: removed.map(({ slug, removed: counts }) => ({ slug, ...counts })) }, 'retention sweep done');
    } catch (error) {
      logger.error({ err: error }, 'retention sweep failed');
    }
  };
  const first = setTimeout(() => void run(), 1_000);
  // Timers overflow past 2^31 ms (about 24 days): longer settings sweep every 24 days.
  const timer = setInterval(() => void run(), Math.min(minutes, 24 * 24 * 60) * 60_000);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
