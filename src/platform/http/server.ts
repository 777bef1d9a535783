import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import { pinoHttp } from 'pino-http';
import type { DataSource } from 'typeorm';
import { Authenticator } from '../auth/authenticate';
import type { DevIssuer } from '../auth/dev-issuer';
import { resolveViewer } from '../auth/viewer';
import { config } from '../config';
import { RequestContext } from '../context';
import { TenantLimiter, holdSlot, type TenantSlot } from '../database/tenant-limiter';
import { TenantTransaction } from '../database/tenant-transaction';
import { ErrorCode, isPlatformError } from '../errors';
import { SchemaRegistry } from '../graphql/schema-registry';
import { logger } from '../logger';
import type { HttpRoutes } from './routes';

export interface HttpAppOptions {
  dataSource: DataSource;
  baseSchema: GraphQLSchema;
  devIssuer?: DevIssuer;
  /** Modules' plain HTTP routes, mounted beside /graphql. */
  routes?: HttpRoutes[];
}

export interface HttpApp {
  app: express.Express;
  registry: SchemaRegistry;
  /** Each organisation's share of this instance (DB_TENANT_*): its counters show what is in use. */
  limiter: TenantLimiter;
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** A path segment this long and opaque is a secret (a one-time link's token): logs name the route, not it. */
const OPAQUE_SEGMENT = /\/[A-Za-z0-9._~-]{40,}(?=[/?#]|$)/g;

/** The URL as logged: one-time tokens in the path replaced by `:token`. */
export function loggableUrl(url: string): string {
  return url.replace(OPAQUE_SEGMENT, '/:token');
}

function sendError(res: Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  if (res.headersSent) return;
  if (code === ErrorCode.UNAUTHENTICATED) res.setHeader('WWW-Authenticate', 'Bearer');
  if (code === ErrorCode.RATE_LIMITED) res.setHeader('Retry-After', String(extensions.retryAfter));
  res.status(status).json({ errors: [{ message, extensions: { ...extensions, code } }] });
}

/** HTTP status of a refusal made before the operation runs. */
function statusOf(code: string): number {
  if (code === ErrorCode.UNAUTHENTICATED) return 401;
  if (code === ErrorCode.RATE_LIMITED) return 429;
  return 403;
}

/**
 * The HTTP surface: health probes and /graphql. Each GraphQL request is authenticated, given
 * one tenant transaction with the caller's context set, and served by the schema variant
 * chosen for its organisation and audience.
 */
export function createHttpApp({ dataSource, baseSchema, devIssuer, routes = [] }: HttpAppOptions): HttpApp {
  const settings = config();
  const authenticator = new Authenticator(dataSource, devIssuer);
  const registry = new SchemaRegistry(baseSchema);
  const limiter = new TenantLimiter({
    concurrency: settings.tenantConcurrency,
    queueLimit: settings.tenantQueueLimit,
    queueTimeoutMs: settings.tenantQueueTimeoutMs,
    costInFlight: settings.tenantCostInFlight,
  });
  const handlers = new WeakMap<ApolloServer<RequestContext>, RequestHandler>();
  const contexts = new WeakMap<Request, RequestContext>();

  const handlerFor = (server: ApolloServer<RequestContext>): RequestHandler => {
    let handler = handlers.get(server);
    if (!handler) {
      handler = expressMiddleware(server, { context: async ({ req }) => contexts.get(req) as RequestContext });
      handlers.set(server, handler);
    }
    return handler;
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, url: loggableUrl(String(req.url)) }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (req, res) => {
    try {
      await dataSource.query('select 1');
      res.json({ status: 'ready' });
    } catch (error) {
      req.log.warn({ err: error }, 'database not reachable');
      res.status(503).json({ status: 'unavailable', reason: 'database not reachable' });
    }
  });

  app.use('/graphql', express.json({ limit: settings.bodyLimit }), async (req, res, next) => {
    let transaction: TenantTransaction | undefined;
    let slot: TenantSlot | undefined;
    // A client that hangs up while its request waits for a slot gives up its place in the queue.
    const abandoned = new AbortController();
    res.once('close', () => abandoned.abort());
    try {
      const token = await authenticator.verify(req.headers.authorization, req.log);
      // The organisation's slot is held from before its transaction begins until after it ends
      // (with any follow-up transaction for kept audit events): see the finally below.
      slot = await limiter.acquire(token.organisation.id, abandoned.signal);
      transaction = await TenantTransaction.begin(dataSource, { tenantId: token.organisation.id });
      const viewer = await resolveViewer(transaction, token);
      const log = req.log.child({ organisation: viewer.organisation.slug, audience: viewer.audience });
      holdSlot(transaction, slot);
      contexts.set(req, new RequestContext(String(req.id), viewer, transaction, log));
      const server = await registry.serverFor(viewer);
      await handlerFor(server)(req, res, next);
    } catch (error) {
      if (isPlatformError(error)) {
        const code = String(error.extensions.code);
        const extensions = code === ErrorCode.RATE_LIMITED ? { retryAfter: error.extensions.retryAfter } : {};
        sendError(res, statusOf(code), code, error.message, extensions);
        return;
      }
      next(error);
    } finally {
      // The Apollo plugin normally commits or rolls back; this returns the connection to the
      // pool on every other path, and only once the operation's resolvers have finished.
      await transaction?.rollback().catch((error) => req.log.error({ err: error }, 'rollback failed'));
      slot?.release();
    }
  });

  // Modules' plain HTTP routes (public, no-account endpoints such as /feedback/<token>).
  const moduleRoutes = express.Router();
  for (const mount of routes) mount(moduleRoutes, { dataSource });
  app.use(moduleRoutes);

  app.use((_req, res) => sendError(res, 404, 'NOT_FOUND', 'No such endpoint; the API is at /graphql'));

  // Body-parser and unexpected errors: a JSON answer with a code, never a stack trace.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed') return sendError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
    if (type === 'entity.too.large') {
      return sendError(res, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${settings.bodyLimit}`);
    }
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return sendError(res, 415, 'BAD_REQUEST', 'Unsupported request encoding');
    }
    // Other body-reading failures the client caused (a corrupt gzip body, a Content-Length that
    // does not match the body) carry a 4xx status from body-parser: a client error, not a 500.
    const { status, expose } = error as { status?: unknown; expose?: unknown };
    if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, status, 'BAD_REQUEST', 'The request body could not be read');
    }
    req.log.error({ err: error }, 'unhandled error');
    return sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
  });

  return {
    app,
    registry,
    limiter,
    close: () => registry.stop(),
  };
}
