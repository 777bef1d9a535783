import { GraphQLError } from 'graphql';

/**
 * The stable error codes a client may branch on (docs/architecture.md, "Request path"). Every error the platform
 * raises on purpose is built here, so codes never drift into ad-hoc strings.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The organisation has too much database work in flight on this server: retry after `extensions.retryAfter` seconds (HTTP 429, Retry-After). */
  RATE_LIMITED: 'RATE_LIMITED',
  /** PostgreSQL cut a statement off at the statement timeout: ask for less, or retry. */
  QUERY_TIMEOUT: 'QUERY_TIMEOUT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Detail for one offending input field, so forms can show errors next to the field. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * graphql-js's code for an operation refused before it runs; the platform raises it itself for
 * limits checked once the operation is known (its estimated cost), with the numbers attached.
 */
export const VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED';

export class PlatformError extends GraphQLError {
  constructor(code: ErrorCode | typeof VALIDATION_FAILED, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const unauthenticated = (message = 'Authentication is required') =>
  new PlatformError(ErrorCode.UNAUTHENTICATED, message);

export const forbidden = (message = 'You are not allowed to do this') =>
  new PlatformError(ErrorCode.FORBIDDEN, message);

export const badUserInput = (message: string, problems: FieldProblem[] = []) =>
  new PlatformError(ErrorCode.BAD_USER_INPUT, message, problems.length ? { problems } : {});

export const notFound = (what: string) => new PlatformError(ErrorCode.NOT_FOUND, `${what} was not found`);

export const conflict = (message: string) => new PlatformError(ErrorCode.CONFLICT, message);

export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new PlatformError(ErrorCode.RATE_LIMITED, message, { retryAfter: retryAfterSeconds });

export function isPlatformError(error: unknown): error is PlatformError {
  return error instanceof PlatformError;
}

/**
 * PostgreSQL error codes that mean "the caller sent something the data model refuses",
 * mapped to client-facing errors; anything else stays internal and is masked.
 */
export function fromDatabaseError(error: unknown): PlatformError | undefined {
  const code = (error as { code?: string } | null)?.code;
  const constraint = (error as { constraint?: string } | null)?.constraint;
  switch (code) {
    case '23505':
      return conflict(`A record with the same unique value already exists${constraint ? ` (${constraint})` : ''}`);
    case '23503':
      return badUserInput('A referenced record does not exist in your organisation');
    case '23514':
    case '22001':
    case '22P02':
    case '23502':
    case '22007':
    case '22008':
      return badUserInput('The input does not satisfy the data rules');
    case '22021':
    case '22P05':
      // Text PostgreSQL cannot store (a NUL character): inputs refuse it field by field; this
      // catches any field that does not.
      return badUserInput('The input contains a character that cannot be stored (NUL)');
    case '57014':
      // statement_timeout (DB_STATEMENT_TIMEOUT_MS), or a cancelled statement: the operation
      // asked for more than the database gives one statement; nothing of it was kept.
      return new PlatformError(ErrorCode.QUERY_TIMEOUT, 'The operation took longer than the database allows for one statement; ask for less (a smaller page, a shorter period) or try again');
    case '42501':
      // Row-level security refused the row: the caller reached past its tenant.
      return forbidden('The database refused access to that record');
    default:
      return undefined;
  }
}
