import type { Router } from 'express';
import type { DataSource } from 'typeorm';

/** What plain HTTP routes may use: they run outside GraphQL and its request context. */
export interface HttpRouteDependencies {
  dataSource: DataSource;
}

/**
 * Plain HTTP routes beside /graphql, for callers without an account (a one-time feedback
 * link). The server mounts them before its 404 handler; errors passed to `next` get its JSON
 * error answers. Each route authorises on its own: no token, no shield.
 */
export type HttpRoutes = (router: Router, dependencies: HttpRouteDependencies) => void;
