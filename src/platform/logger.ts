import pino from 'pino';
import { config } from './config';

/** Structured JSON logs; every request's lines carry its request id (see http/server.ts). */
export const logger = pino({
  level: config().logLevel,
  base: { service: 'milo-platform' },
  redact: ['req.headers.authorization', 'headers.authorization'],
});
export type { Logger } from 'pino';
