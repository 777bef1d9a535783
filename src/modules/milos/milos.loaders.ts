import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { LoaderFactory } from '../../platform/context';
import { manyByKey, tenantRowsById } from '../../platform/graphql/batch';
import { MiloStatusChange } from './milo-status-change.entity';
import { Milo } from './milo.entity';

export { milosByPersonId } from './effective-status';

/** Memberships of the caller's organisation by id; row-level security keeps other tenants out. */
export const miloById = tenantRowsById(Milo);

/** The team of each Lead MILO: the memberships they supervise, by area. */
export const milosByLeadId: LoaderFactory<string, Milo[]> = (context) =>
  new DataLoader(async (leadIds) => {
    const rows = await context.db.getRepository(Milo).find({
      where: { tenantId: context.tenantId, leadMiloId: In([...leadIds]) },
      order: { area: 'ASC', id: 'ASC' },
    });
    return manyByKey(leadIds, rows, (row) => row.leadMiloId as string);
  });

/**
 * Each membership's history, oldest first. A move and the automatic lapse it caught up are
 * recorded at the same instant; the lapse (changed by the platform) happened first.
 */
export const statusHistoryByMiloId: LoaderFactory<string, MiloStatusChange[]> = (context) =>
  new DataLoader(async (miloIds) => {
    const rows = await context.db.getRepository(MiloStatusChange).find({
      where: { tenantId: context.tenantId, miloId: In([...miloIds]) },
      order: { changedAt: 'ASC', effectiveOn: 'ASC', id: 'ASC' },
    });
    const platformFirst = (row: MiloStatusChange) => (row.changedBy === null ? 0 : 1);
    rows.sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime() || platformFirst(a) - platformFirst(b));
    return manyByKey(miloIds, rows, (row) => row.miloId);
  });
