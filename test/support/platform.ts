import { Client } from 'pg';
import request from 'supertest';
import { demoIds, demoSubjectFor } from '../../seeds';
import { createPlatform, type Platform } from '../../src/app';
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
export const POLICE = 'hampshire-constabulary';
export const FIRE = 'hampshire-fire-rescue';
export const SOUTHERN_HEALTH = 'southern-health';
export const SOLENT = 'solent-nhs';
export const OCCUPATIONAL_HEALTH = 'hiow-occupational-health';

/** Expects exactly one error with this code and returns it. */
export function expectError(response: GraphQLResponse, code: string) {
  expect(response.errors?.map((error) => error.extensions.code)).toEqual([code]);
  expect(response.text).not.toMatch(/stacktrace|\bat .+\.(js|ts):\d+/);
  return response.errors![0];
}

export const toGlobalId = (typeName: string, id: string) => Buffer.from(`${typeName}:${id}`).toString('base64url');
