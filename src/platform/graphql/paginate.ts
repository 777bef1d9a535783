import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badUserInput } from '../errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type ConnectionArgs, type ConnectionResult } from './relay';

/** The sort key of a connection: a column (with its entity property) plus id as tie-breaker. */
export interface KeysetOrder<T> {
  column: string; // e.g. 'person.display_name'
  value: (row: T) => string | number | Date;
}

const encodeCursor = (value: unknown, id: string) => Buffer.from(JSON.stringify([value, id]), 'utf8').toString('base64url');

function decodeCursor(cursor: string): [string | number, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Cursors are opaque but not trusted: a crafted one must be refused here, not by PostgreSQL.
    const [value, id] = Array.isArray(parsed) && parsed.length === 2 ? parsed : [];
    const plainValue = (typeof value === 'string' && !value.includes('\u0000') && value.length <= 500) || (typeof value === 'number' && Number.isFinite(value));
    if (plainValue && typeof id === 'string' && id.length <= 100 && !id.includes('\u0000')) return [value, id];
  } catch {
    // fall through to the error below
  }
  throw badUserInput('"after" is not a cursor from this connection', [{ field: 'after', message: 'Invalid cursor' }]);
}

function pageSize(args: ConnectionArgs): number {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`"first" must be between 0 and ${MAX_PAGE_SIZE}`, [{ field: 'first', message: 'Out of range' }]);
  }
  return first;
}

/**
 * Keyset pagination: rows after the cursor's (sort value, id), so a page costs the same
 * however deep it is and rows inserted meanwhile do not shift the pages.
 */
export async function paginate<T extends ObjectLiteral & { id: string }>(
  query: SelectQueryBuilder<T>,
  args: ConnectionArgs,
  order: KeysetOrder<T>,
): Promise<ConnectionResult<T>> {
  const first = pageSize(args);
  const alias = query.alias;
  const counting = query.clone();
  if (args.after) {
    const [value, id] = decodeCursor(args.after);
    query.andWhere(`(${order.column}, ${alias}.id) > (:afterValue, :afterId)`, { afterValue: value, afterId: id });
  }
  const rows = await query
    .orderBy(order.column, 'ASC')
    .addOrderBy(`${alias}.id`, 'ASC')
    .limit(first + 1)
    .getMany();
  const page = rows.slice(0, first);
  const edges = page.map((node) => {
    const value = order.value(node);
    return { node, cursor: encodeCursor(value instanceof Date ? value.toISOString() : value, node.id) };
  });
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    // A getter, so the count query runs only when a client selects totalCount.
    get totalCount() {
      return counting.getCount();
    },
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts rows by (key, id): the order paginateSorted expects. */
export function sortBy<T extends { id: string }>(rows: T[], key: (row: T) => string): T[] {
  return [...rows].sort((a, b) => compare(key(a), key(b)) || compare(a.id, b.id));
}

/**
 * A page over rows already sorted by (key, id), with the same cursors and limits as the SQL
 * keyset pages, for lists that depend on values computed in memory (a MILO's status today).
 */
export function paginateSorted<T extends { id: string }>(sorted: T[], args: ConnectionArgs, key: (row: T) => string): ConnectionResult<T> {
  const first = pageSize(args);
  let rest = sorted;
  if (args.after) {
    const [value, id] = decodeCursor(args.after);
    rest = sorted.filter((row) => compare(key(row), String(value)) > 0 || (key(row) === String(value) && compare(row.id, id) > 0));
  }
  const edges = rest.slice(0, first).map((node) => ({ node, cursor: encodeCursor(key(node), node.id) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rest.length > first,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: Promise.resolve(sorted.length),
  };
}
