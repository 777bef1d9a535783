import { Client } from 'pg';
import request from 'supertest';
import { demoIds, demoSubjectFor } from '../../seeds';
import { createPlatform, type Platform } from '../../src/app';
import { resetConfig } from '../../src/platform/config';
import { DevIssuer, type DevTokenClaims } from '../../src/platform/auth/dev-issuer';
import type { OrganisationRole } from '../../src/platform/auth/roles';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data: T | null | undefined;
  errors: Array<{ message: string; path?: string[]; extensions: { code: string; [key: string]: unknown } }> | undefined;
  body: any;
  text: string;
  statements: number | undefined;
}

export interface Caller {
  organisation: string;
  roles?: OrganisationRole[];
  subject?: string;
}

/** The platform served in-process on real PostgreSQL, called over real HTTP with real JWTs. */
export class TestPlatform {
  private constructor(
    readonly platform: Platform,
    readonly issuer: DevIssuer,
  ) {}

  static async start(): Promise<TestPlatform> {
    const url = process.env.TEST_APP_URL;
    if (!url) throw new Error('TEST_APP_URL is not set: run the tests through jest (global-setup)');
    const platform = await createPlatform(url);
    return new TestPlatform(platform, await DevIssuer.load());
  }

  get http() {
    return request(this.platform.http.app);
  }

  /** A development token; the subject defaults to a seeded person holding the first role. */
  token(caller: Caller, overrides: Partial<DevTokenClaims> = {}): Promise<string> {
    const roles = caller.roles ?? ['STAFF'];
    return this.issuer.sign({
      organisation: caller.organisation,
      subject: caller.subject ?? demoSubjectFor(caller.organisation, roles[0]) ?? `test-${caller.organisation}`,
      roles,
      ...overrides,
    });
  }

  async graphql<T = Record<string, any>>(
    caller: Caller | string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<T>> {
    const token = caller === null ? null : typeof caller === 'string' ? caller : await this.token(caller);
    let call = this.http.post('/graphql').set('Content-Type', 'application/json');
    if (token) call = call.set('Authorization', `Bearer ${token}`);
    const response = await call.send({ query, variables });
    const statements = response.headers['x-sql-statements'];
    return {
      status: response.status,
      data: response.body?.data,
      errors: response.body?.errors,
      body: response.body,
      text: response.text,
      statements: statements === undefined ? undefined : Number(statements),
    };
  }

  close(): Promise<void> {
    return this.platform.close();
  }
}

/** A connection as the schema owner, for arranging and checking rows behind the API's back. */
export async function ownerClient(): Promise<Client> {
  const client = new Client({ connectionString: process.env.TEST_OWNER_URL });
  await client.connect();
  return client;
}

/** Runs SQL as the owner with a tenant context (the owner is bound by forced RLS too). */
export async function asTenant<T>(client: Client, tenantId: string, work: () => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
    const result = await work();
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

export { demoIds };
export { FIRE, OCCUPATIONAL_HEALTH, OPERATOR_ORGANISATION, POLICE, SOLENT, SOUTHERN_HEALTH, personas } from './personas';

export interface PlatformFixture {
  /**
   * Environment settings for this file's platform only: configuration is read once, when the
   * platform starts, and the settings are put back for later files in the same worker.
   */
  environment?: Record<string, string>;
  /** Teardown of the file's own, run before the owner connection and the platform close. */
  beforeClose?: () => unknown;
}

async function startWith(environment: Record<string, string> | undefined): Promise<TestPlatform> {
  if (!environment) return TestPlatform.start();
  const saved = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
  Object.assign(process.env, environment);
  resetConfig();
  try {
    return await TestPlatform.start();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** Forwards to the value `current()` returns once it exists, so a file can destructure early. */
function lateBound<T extends object>(what: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const value = current();
      if (!value) throw new Error(`The ${what} is used before usePlatform's beforeAll has started it`);
      const member = Reflect.get(value, key, value);
      return typeof member === 'function' ? member.bind(value) : member;
    },
  });
}

/**
 * The platform and an owner connection for one test file: started in a beforeAll, closed in an
 * afterAll. Call it at the top of the file, before the file's own hooks, so that they run after
 * the start (hooks run in the order they are declared; so do afterAll hooks, hence beforeClose).
 */
export function usePlatform(fixture: PlatformFixture = {}): { platform: TestPlatform; owner: Client } {
  let platform: TestPlatform | undefined;
  let owner: Client | undefined;
  beforeAll(async () => {
    platform = await startWith(fixture.environment);
    owner = await ownerClient();
  });
  afterAll(async () => {
    try {
      await fixture.beforeClose?.();
    } finally {
      await owner?.end();
      await platform?.close();
    }
  });
  return { platform: lateBound('platform', () => platform), owner: lateBound('owner connection', () => owner) };
}

/** Expects exactly one error with this code and returns it. */
export function expectError(response: GraphQLResponse, code: string) {
  expect(response.errors?.map((error) => error.extensions.code)).toEqual([code]);
  expect(response.text).not.toMatch(/stacktrace|\bat .+\.(js|ts):\d+/);
  return response.errors![0];
}

export const toGlobalId = (typeName: string, id: string) => Buffer.from(`${typeName}:${id}`).toString('base64url');
