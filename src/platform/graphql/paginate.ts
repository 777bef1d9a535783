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
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string') return parsed as [string | number, string];
  } catch {
    // fall through to the error below
  }
  throw badUserInput('"after" is not a cursor from this connection', [{ field: 'after', message: 'Invalid cursor' }]);
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
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`"first" must be between 0 and ${MAX_PAGE_SIZE}`, [{ field: 'first', message: 'Out of range' }]);
  }
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
