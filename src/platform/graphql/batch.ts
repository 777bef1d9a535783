import DataLoader from 'dataloader';
import { In, type EntityTarget, type FindOptionsWhere } from 'typeorm';
import type { LoaderFactory } from '../context';
import type { TenantOwned } from '../database/tenant-owned';

/** Orders batch results the way DataLoader needs: one entry per requested key, in key order. */
export function oneByKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const byKey = new Map<K, V>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((key) => byKey.get(key) ?? null);
}

/** Like oneByKey, for one-to-many: every key gets its (possibly empty) list. */
export function manyByKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const byKey = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = byKey.get(key);
    if (list) list.push(row);
    else byKey.set(key, [row]);
  }
  return keys.map((key) => byKey.get(key) ?? []);
}

/**
 * The loader every tenant entity needs: rows of the caller's organisation by id, one query
 * per batch. Define it once per entity at module level (loaders are cached by factory).
 */
export function tenantRowsById<T extends TenantOwned>(entity: EntityTarget<T>): LoaderFactory<string, T | null> {
  return (context) =>
    new DataLoader(async (ids) => {
      const where = { tenantId: context.tenantId, id: In([...ids]) } as FindOptionsWhere<T>;
      const rows = await context.db.getRepository(entity).findBy(where);
      return oneByKey(ids, rows, (row) => row.id);
    });
}
