import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import { writeKeptEvents } from '../audit';
import { config } from '../config';
import type { RequestContext } from '../context';
import { slotOf } from '../database/tenant-limiter';
import { ErrorCode, fromDatabaseError, isPlatformError } from '../errors';
import { logger } from '../logger';
import { operationCost, tooCostly } from './cost';
import { formatError, isExpectedError } from './errors';

/**
 * Ends the request's tenant transaction once the response is known: commit when the
 * operation produced no errors, roll back otherwise, so a mutation is all or nothing.
 * Runs before the response is written, so a client never reads ahead of a commit.
 */
const transactionPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ contextValue, errors, operationName }) {
        for (const error of errors) {
          if (!isExpectedError(error)) contextValue.log.error({ err: error.originalError ?? error, path: error.path }, 'unexpected error');
          // The client gets QUERY_TIMEOUT; operators need to know which operation keeps hitting the limit.
          else if (fromDatabaseError(error.originalError)?.extensions.code === ErrorCode.QUERY_TIMEOUT) {
            contextValue.log.warn({ path: error.path, operation: operationName }, 'statement timeout');
          }
        }
      },
      async willSendResponse({ contextValue, response, errors }) {
        const { transaction } = contextValue;
        const body = response.body;
        const failed = Boolean(errors?.length) || (body.kind === 'single' && Boolean(body.singleResult.errors?.length));
        if (failed) {
          await transaction.rollback();
          if (contextValue.keptEvents.length) {
            await transaction
              .followUp((manager) => writeKeptEvents(contextValue, manager))
              .catch((error) => contextValue.log.error({ err: error }, 'could not write the audit events of a failed operation'));
          }
        } else {
          try {
            await writeKeptEvents(contextValue, transaction.manager);
            await transaction.commit();
          } catch (error) {
            contextValue.log.error({ err: error }, 'commit failed');
            const clientError = fromDatabaseError(error);
            response.body = {
              kind: 'single',
              singleResult: {
                errors: [
                  clientError
                    ? { message: clientError.message, extensions: { ...clientError.extensions } }
                    : { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
                ],
              },
            };
          }
        }
        if (config().statementCountHeader) {
          // Lets developers and tests see what an operation cost in SQL statements.
          response.http.headers.set('x-sql-statements', String(transaction.statements));
        }
      },
    };
  },
};

/**
 * Refuses an operation whose root type the schema lacks (`subscription { ... }` here).
 * graphql-js 16 only finds out during execution, with an error carrying no code, which the
 * error policy masks as INTERNAL_SERVER_ERROR; graphql-js 17 validates it the same way.
 */
const knownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation)) {
      context.reportError(new GraphQLError(`This API does not support ${node.operation} operations.`, { nodes: node }));
    }
  },
});

/**
 * Refuses an operation whose estimated cost (./cost.ts) is over GRAPHQL_MAX_COST, before any
 * resolver runs, then waits until it fits beside the organisation's other running operations
 * (DB_TENANT_COST_IN_FLIGHT). Once the operation is resolved, not in validation, because page
 * sizes often come in variables, which validation rules cannot see.
 */
function costLimitPlugin(schema: GraphQLSchema, maxCost: number): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, response, contextValue }) {
          const cost = operationCost(schema, document, request.variables, request.operationName ?? undefined);
          if (cost === undefined) return;
          if (config().statementCountHeader && Number.isFinite(cost)) response.http.headers.set('x-query-cost', String(cost));
          if (cost > maxCost) {
            response.http.status = 400;
            throw tooCostly(cost, maxCost);
          }
          try {
            await slotOf(contextValue.transaction)?.admit(cost);
          } catch (error) {
            if (isPlatformError(error) && error.extensions.code === ErrorCode.RATE_LIMITED) {
              response.http.status = 429;
              response.http.headers.set('retry-after', String(error.extensions.retryAfter));
            }
            throw error;
          }
        },
      };
    },
  };
}

/** One Apollo Server for one schema variant, with the platform's limits and error policy. */
export async function createApolloServer(schema: GraphQLSchema): Promise<ApolloServer<RequestContext>> {
  const settings = config();
  const armor = new ApolloArmor({
    maxDepth: { n: settings.limits.maxDepth },
    // Not armor's cost limit: it charges a field the same whatever it loads or computes, so 15
    // aliases of a scheme-wide figure passed it. costLimitPlugin charges by page size and work.
    costLimit: { enabled: false },
    maxAliases: { n: settings.limits.maxAliases },
    // Not armor's token limit: its Apollo plugin re-parses the query in parsingDidStart, outside
    // Apollo's parse error handling, so any syntax error (and the limit itself) became an HTTP 500.
    // graphql-js enforces the same limit in Apollo's own parse (parseOptions below): a 400
    // GRAPHQL_PARSE_FAILED, and each query is parsed once.
    maxTokens: { enabled: false },
    maxDirectives: { n: settings.limits.maxDirectives },
    blockFieldSuggestion: { enabled: settings.nodeEnv === 'production' },
  });
  const protection = armor.protect();
  const server = new ApolloServer<RequestContext>({
    schema,
    introspection: settings.introspection,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // No client sends persisted queries; Apollo's own support answered a mismatched hash with an
    // error without a code (masked as INTERNAL_SERVER_ERROR). Off, every such request gets
    // PERSISTED_QUERY_NOT_SUPPORTED.
    persistedQueries: false,
    csrfPrevention: true,
    // main.ts owns shutdown (HTTP, pool, embedded PostgreSQL); Apollo must not re-send the signal.
    stopOnTerminationSignals: false,
    logger: logger.child({ component: 'apollo' }),
    formatError,
    parseOptions: { maxLexicalTokens: settings.limits.maxTokens },
    validationRules: [knownOperationTypes, ...protection.validationRules],
    plugins: [
      ...protection.plugins,
      costLimitPlugin(schema, settings.limits.maxCost),
      transactionPlugin,
      ...(settings.nodeEnv === 'production' ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await server.start();
  return server;
}
