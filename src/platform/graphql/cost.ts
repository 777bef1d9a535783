import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimator, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { PlatformError, VALIDATION_FAILED } from '../errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './relay';

/*
 * What an operation will cost, estimated before it runs, in one unit: an object the server
 * loads or builds (a row from a page or a DataLoader). Scalar fields come with their object
 * and cost nothing. Lists multiply what they select: a connection by the page it will return
 * (`first`, else the default page), a plain list by DEFAULT_LIST_SIZE. Fields that compute
 * more than the rows they return (eligibility, scheme-wide figures, reports, exports) declare
 * their cost with type-graphql's `complexity` option, set from their measured time (`npm run
 * bench` prints each operation's cost beside its latency; the x-query-cost header shows it):
 *   - a number: the cost of one item of the field, in place of 1 (objects) or 0 (scalars);
 *   - a function (see `computed`, `connectionCost`): the whole field's cost.
 * GRAPHQL_MAX_COST (5000 by default) is the most one request may cost: about a quarter of a
 * second of work on the bench machine, so one request never holds the server's one thread for
 * long. README.md, "Limits", has the table.
 */

/**
 * A plain list (no page arguments) is charged as this many items: most hold a handful (a
 * person's roles and training records, a requirement's modules, a plan's care team), and
 * nested lists multiply, so a larger guess would refuse ordinary screens.
 */
export const DEFAULT_LIST_SIZE = 5;
/** A connection's own statements: its page and, when selected, its count. */
const CONNECTION = 2;
/** A mutation's own writes and audit event, before what its payload selects. */
export const MUTATION = 10;
/**
 * A person's eligibility (or a membership's status today, which depends on it): their
 * scheme's requirements and their training records, folded in memory; measured at about
 * 0.5 ms each.
 */
export const ELIGIBILITY = 10;
/** The members a scheme-wide computation is charged for: a large scheme (the seeded police one has 60). */
export const SCHEME_MEMBERS = 100;
/**
 * A figure over every member of a scheme (coverage, training expiring, caseloads): each
 * member's eligibility, for a scheme of SCHEME_MEMBERS. One in a request is cheap; fifteen
 * aliases of it are not.
 */
export const SCHEME_WIDE = SCHEME_MEMBERS * ELIGIBILITY;
/**
 * One record exported with everything about it (a FHIR Bundle, a subject access export):
 * about 15 statements and the document built in memory; measured at about half a scheme's
 * coverage.
 */
export const RECORD_EXPORT = 500;
/**
 * Demand figures, per month of the period: the same dozen GROUP BY statements whatever the
 * period, each reading every request, contact and feedback of it; two years of a busy
 * scheme stay within one request's budget.
 */
export const DEMAND_MONTH = 150;

/** A connection: its own statements, then each item of the page it will return (`perItem` more for each). */
export function connectionCost({ args, childComplexity }: ComplexityEstimatorArgs, own = CONNECTION, perItem = 0): number {
  return own + pageSizeOf(args) * (perItem + childComplexity);
}

/**
 * Records checked one by one as they are read: each support request or referral of a page
 * runs its access rule (who may see the colleague, the free text, the agreement's field
 * scope) and, for a partner, is audited; measured at about 0.4 ms each, eight times a plain
 * row.
 */
export const CHECKED_RECORD = 8;

/** A page of records each checked as it is read (CHECKED_RECORD). */
export const pageOfCheckedRecords: ComplexityEstimator = (estimate) => connectionCost(estimate, CONNECTION, CHECKED_RECORD);

/**
 * A field that does `fixed` work once and returns up to `items` objects, each costing what it
 * selects plus `perItem` (an object: 1).
 */
export function computed(fixed: number, items = 0, perItem = 1): ComplexityEstimator {
  return ({ childComplexity }) => fixed + items * (perItem + childComplexity);
}

/**
 * A mutation writing one row per item of an input list (`items` counts them): its own
 * writes, each item, and its payload's lists at the size they will really have.
 */
export function bulkMutation(items: (args: Record<string, unknown>) => number): ComplexityEstimator {
  return ({ args, childComplexity }) => {
    const count = items(args);
    return MUTATION + count + Math.ceil(childComplexity * Math.max(1, count / DEFAULT_LIST_SIZE));
  };
}

/** Page size of a connection as the resolvers apply it: `first`, else the default page. */
function pageSizeOf(args: Record<string, unknown>): number {
  const first = args.first;
  if (typeof first !== 'number' || !Number.isFinite(first)) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(first, 0), MAX_PAGE_SIZE);
}

function isConnection(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith('Connection') && 'edges' in type.getFields() && 'pageInfo' in type.getFields();
}

/** The platform's cost of one field, as described at the top of this file. */
export const platformEstimator: ComplexityEstimator = (args: ComplexityEstimatorArgs) => {
  const { field, type: parent, childComplexity } = args;
  // Introspection and __typename read the schema in memory, not the database.
  if (field.name.startsWith('__')) return 0;
  const declared: unknown = field.extensions?.complexity;
  if (typeof declared === 'function') return (declared as ComplexityEstimator)(args) ?? 0;

  if (isConnection(parent)) {
    // Charged by the connection itself: its edges once per page item, pageInfo and
    // totalCount within its own statements.
    if (field.name === 'edges') return childComplexity;
    if (field.name === 'pageInfo' || field.name === 'totalCount') return 0;
  }
  const own = typeof declared === 'number' ? declared : undefined;
  const returned = getNamedType(field.type);
  if (isConnection(returned)) return connectionCost(args, own);
  if (parent.name === 'Mutation') return (own ?? MUTATION) + childComplexity;
  const items = isListType(getNullableType(field.type)) ? DEFAULT_LIST_SIZE : 1;
  return items * ((own ?? (isCompositeType(returned) ? 1 : 0)) + childComplexity);
};

/** Fields evaluated while estimating (fragments expanded) beyond which an operation is refused unestimated. */
const MAX_ESTIMATED_FIELDS = 10_000;

/**
 * The estimated cost of the operation, or undefined when its variables do not fit its
 * definitions (execution refuses those with BAD_USER_INPUT before any resolver runs).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number | undefined {
  try {
    return getComplexity({ schema, query: document, variables, operationName, estimators: [platformEstimator], maxQueryNodes: MAX_ESTIMATED_FIELDS });
  } catch (error) {
    // Fragments spread into each other can multiply fields beyond any real selection.
    if (error instanceof Error && /maximum allowed number of nodes/.test(error.message)) return Number.POSITIVE_INFINITY;
    return undefined;
  }
}

/** The refusal of an operation over the limit: the client sees both numbers. */
export function tooCostly(cost: number, maxCost: number): PlatformError {
  const estimate = Number.isFinite(cost) ? `is estimated to cost ${cost}` : `selects more than ${MAX_ESTIMATED_FIELDS} fields once its fragments are expanded`;
  return new PlatformError(
    VALIDATION_FAILED,
    `The operation ${estimate}, more than the limit of ${maxCost} per request: ask for smaller pages (first), fewer aliases or fewer computed figures at once`,
    { cost: Number.isFinite(cost) ? cost : null, maxCost },
  );
}
