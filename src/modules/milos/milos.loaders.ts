import { rowsByParent, tenantRowsById } from '../../platform/graphql/batch';
import { MiloStatusChange } from './milo-status-change.entity';
import { Milo } from './milo.entity';

export { milosByPersonId } from './effective-status';

/** Memberships of the caller's organisation by id; row-level security keeps other tenants out. */
export const miloById = tenantRowsById(Milo);

/** The team of each Lead MILO: the memberships they supervise, by area. */
export const milosByLeadId = rowsByParent(Milo, 'leadMiloId', { order: { area: 'ASC', id: 'ASC' } });

/**
 * Each membership's history, oldest first. A move and the automatic lapse it caught up are
 * recorded at the same instant; the lapse (changed by the platform) happened first.
 */
const platformFirst = (row: MiloStatusChange) => (row.changedBy === null ? 0 : 1);
export const statusHistoryByMiloId = rowsByParent(MiloStatusChange, 'miloId', {
  order: { changedAt: 'ASC', effectiveOn: 'ASC', id: 'ASC' },
  compare: (a, b) => a.changedAt.getTime() - b.changedAt.getTime() || platformFirst(a) - platformFirst(b),
});
