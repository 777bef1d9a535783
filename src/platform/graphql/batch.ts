import DataLoader from 'dataloader';
import { In, type EntityTarget, type FindOptionsOrder, type FindOptionsWhere } from 'typeorm';
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

/**
 * Rows by id as row-level security shows them, with no tenant filter: for records a partner
 * may reach under an agreement (and the global organisation registry). Ids are random UUIDs,
 * so a key never matches another organisation's row by accident.
 */
export function visibleRowsById<T extends { id: string }>(entity: EntityTarget<T>): LoaderFactory<string, T | null> {
  return (context) =>
    new DataLoader(async (ids) => {
      const rows = await context.db.getRepository(entity).findBy({ id: In([...ids]) } as FindOptionsWhere<T>);
      return oneByKey(ids, rows, (row) => row.id);
    });
}

/** Keys of T whose values are ids (the parent columns a one-to-many loader can group by). */
type IdColumn<T> = { [K in keyof T]: T[K] extends string | null ? K : never }[keyof T] & string;

export interface RowsByParentOptions<T> {
  /** More conditions every row must meet (`{ status: 'ACTIVE' }`). */
  where?: FindOptionsWhere<T>;
  /** The order of each parent's list; add `id` last so equal keys keep a stable order. */
  order?: FindOptionsOrder<T>;
  /** A final in-memory ordering, for rules SQL cannot express simply. */
  compare?: (a: T, b: T) => number;
  /**
   * Leave the tenant filter out and let row-level security alone decide what the caller sees
   * (rows a partner reaches under an agreement). Default: the caller's organisation's rows only.
   */
  acrossTenants?: boolean;
}

/**
 * The one-to-many loader: each parent's rows (possibly none), one query per batch, keyed by
 * `parentColumn`. Define it once per relation at module level (loaders are cached by factory).
 */
export function rowsByParent<T extends TenantOwned>(
  entity: EntityTarget<T>,
  parentColumn: IdColumn<T>,
  options: RowsByParentOptions<T> = {},
): LoaderFactory<string, T[]> {
  return (context) =>
    new DataLoader(async (parentIds) => {
      const where = {
        ...options.where,
        ...(options.acrossTenants ? {} : { tenantId: context.tenantId }),
        [parentColumn]: In([...parentIds]),
      } as FindOptionsWhere<T>;
      const rows = await context.db.getRepository(entity).find({ where, order: options.order });
      if (options.compare) rows.sort(options.compare);
      return manyByKey(parentIds, rows, (row) => row[parentColumn] as string);
    });
}
