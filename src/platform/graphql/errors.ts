import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { ErrorCode, fromDatabaseError, isPlatformError, type FieldProblem } from '../errors';

/** Codes produced by GraphQL itself (parsing, validation, request limits): safe to show. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

function problemsOf(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...problemsOf(error.children ?? [], field)];
  });
}

/**
 * An error about the request as a whole (parsing, validation, variable coercion, limits):
 * it has no resolver path and a client code. Variable coercion errors wrap the scalar's own
 * error, so originalError alone does not make an error internal.
 */
function isRequestError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.path) return false;
  return CLIENT_CODES.has(String(error.extensions?.code));
}

/** Whether an error is one the platform meant to show; anything else is masked. */
export function isExpectedError(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (isPlatformError(original) || original instanceof ArgumentValidationError) return true;
  if (fromDatabaseError(original)) return true;
  return isRequestError(error);
}

/**
 * Shapes every error the API returns: platform errors keep their codes, input validation
 * becomes BAD_USER_INPUT with per-field problems, refused constraints become client errors,
 * and everything else is masked as INTERNAL_SERVER_ERROR (the plugin logs the original).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (isPlatformError(original)) {
    return { ...base, message: original.message, extensions: { ...original.extensions } };
  }
  if (original instanceof ArgumentValidationError) {
    const problems = problemsOf((original.extensions.validationErrors ?? []) as ValidationError[]);
    return { ...base, message: 'The input is not valid', extensions: { code: ErrorCode.BAD_USER_INPUT, problems } };
  }
  const fromDatabase = fromDatabaseError(original);
  if (fromDatabase) return { ...base, message: fromDatabase.message, extensions: { ...fromDatabase.extensions } };
  if (isRequestError(error)) {
    return { ...base, message: formatted.message, extensions: { code: String(formatted.extensions?.code ?? (error as GraphQLError).extensions?.code) } };
  }
  return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
