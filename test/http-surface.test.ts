import { gzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { usePlatform, personas, type Caller, type GraphQLResponse } from './support/platform';

const STAFF_MEMBER: Caller = personas.police.staff;
const NO_STACK = /stacktrace|\bat .+\.(js|ts):\d+|<html|<pre/i;

const { platform } = usePlatform();
let token: string;
beforeAll(async () => {
  token = await platform.token(STAFF_MEMBER);
});
/** A POST to /graphql with a valid token and whatever body the test wants to send. */
function post(body: string | object) {
  return platform.http.post('/graphql').set('Content-Type', 'application/json').set('Authorization', `Bearer ${token}`).send(body);
}

/**
 * A refusal the client caused: the given status (never a 500), a JSON body with exactly one
 * error carrying this code, and nothing of the server's insides.
 */
function expectClientError(response: Response | GraphQLResponse, status: number, code: string) {
  expect(response.status).toBe(status);
  const body = (response as Response).body;
  expect(body?.errors).toHaveLength(1);
  expect(body.errors[0].extensions?.code).toBe(code);
  expect(typeof body.errors[0].message).toBe('string');
  expect(body.data ?? undefined).toBeUndefined();
  expect(response.text).not.toMatch(NO_STACK);
  return body.errors[0] as { message: string; extensions: Record<string, unknown> };
}

/** Sends a Buffer as it is (superagent would otherwise JSON-encode it for a JSON content type). */
const raw = (body: unknown) => body as string;

/** `{ __type(name: "Query") { fields { type { ofType { ... { name } } } } } }`: depth 4 + ofTypes. */
const ofTypeChain = (ofTypes: number) =>
  `{ __type(name: "Query") { fields { type { ${'ofType { '.repeat(ofTypes)}name${' }'.repeat(ofTypes)} } } } }`;

/** `{ a1: viewer { subject } a2: viewer { subject } ... }` */
const aliases = (count: number) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i + 1}: viewer { subject }`).join(' ')} }`;

/** `query Q1 { viewer { subject } } query Q2 ...`: eight lexical tokens per operation. */
const operations = (count: number) =>
  Array.from({ length: count }, (_, i) => `query Q${i + 1} { viewer { subject } }`).join('\n');

describe('health probes', () => {
  it('answers /healthz without a token', async () => {
    const response = await platform.http.get('/healthz');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz when the database is reachable', async () => {
    const response = await platform.http.get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready' });
  });
});

describe('requests the server cannot serve', () => {
  it('answers an unknown path with a JSON 404 and a code', async () => {
    for (const call of [platform.http.get('/no/such/path'), platform.http.post('/graphq').send({ query: '{ viewer { subject } }' })]) {
      const response = await call;
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expectClientError(response, 404, 'NOT_FOUND');
    }
  });

  it('answers a malformed JSON body with 400 BAD_REQUEST', async () => {
    const response = await post('{"query": "{ viewer { subject } }"');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expectClientError(response, 400, 'BAD_REQUEST');
  });

  it('answers a body over the limit (1mb) with 413 and a code', async () => {
    const response = await post({ query: '{ viewer { subject } }', variables: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expectClientError(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers a corrupt gzip body with 400 BAD_REQUEST, and an unknown encoding with 415', async () => {
    const corrupt = await platform.http
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"query": "{ viewer { subject } }"}');
    expectClientError(corrupt, 400, 'BAD_REQUEST');

    const gzipped = await platform.http
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(raw)
      .send(gzipSync(JSON.stringify({ query: '{ viewer { subject } }' })));
    expect(gzipped.status).toBe(200);
    expect(gzipped.body).toEqual({ data: { viewer: { subject: 'hc-staff-1' } } });

    const unknown = await platform.http
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'x-unknown')
      .send('{"query": "{ viewer { subject } }"}');
    expectClientError(unknown, 415, 'BAD_REQUEST');
  });

  it('answers a gzip body that inflates past the limit with 413', async () => {
    const bomb = gzipSync(JSON.stringify({ query: '{ viewer { subject } }', variables: { padding: ' '.repeat(3 * 1024 * 1024) } }));
    expect(bomb.length).toBeLessThan(10 * 1024);
    const response = await platform.http
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(raw)
      .send(bomb);
    expectClientError(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses a simple (CSRF-able) request with 400 BAD_REQUEST', async () => {
    const response = await platform.http
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'text/plain')
      .send('{"query": "{ viewer { subject } }"}');
    expectClientError(response, 400, 'BAD_REQUEST');
  });

  it('answers a body without a query with 400 and a code', async () => {
    const response = await post({ variables: {} });
    expectClientError(response, 400, 'BAD_REQUEST');
  });
});

describe('operations the server refuses to run', () => {
  it('refuses a query selecting an unknown field (GRAPHQL_VALIDATION_FAILED)', async () => {
    const response = await post({ query: '{ viewer { subject noSuchField } }' });
    expectClientError(response, 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a query that does not parse (GRAPHQL_PARSE_FAILED)', async () => {
    const response = await post({ query: '{ viewer { subject }' });
    expectClientError(response, 400, 'GRAPHQL_PARSE_FAILED');
  });

  it('serves a query of the maximum depth (10) and refuses one level deeper', async () => {
    const deepest = await post({ query: ofTypeChain(6) });
    expect(deepest.body.errors).toBeUndefined();
    expect(deepest.status).toBe(200);
    expect(deepest.body.data.__type.fields.length).toBeGreaterThan(0);

    const error = expectClientError(await post({ query: ofTypeChain(7) }), 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toMatch(/depth/i);
  });

  it('counts fragment spreads towards the depth', async () => {
    // graphql-armor counts a spread as two levels (the spread, then the fragment): viewer (1),
    // five spreads (10) and subject (1) make 12, past the limit of 10.
    const fragments = Array.from({ length: 5 }, (_, i) => `fragment F${i} on Viewer { ${i === 4 ? 'subject' : `...F${i + 1}`} }`).join(' ');
    const error = expectClientError(await post({ query: `{ viewer { ...F0 } } ${fragments}` }), 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toMatch(/depth/i);
  });

  it('serves 15 aliases and refuses 16', async () => {
    const fifteen = await post({ query: aliases(15) });
    expect(fifteen.body.errors).toBeUndefined();
    expect(fifteen.body.data.a15).toEqual({ subject: 'hc-staff-1' });

    const error = expectClientError(await post({ query: aliases(16) }), 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toMatch(/alias/i);
  });

  it('refuses a query over the token limit (2000)', async () => {
    const atTheLimit = await post({ query: operations(250), operationName: 'Q250' });
    expect(atTheLimit.body.errors).toBeUndefined();
    expect(atTheLimit.body.data.viewer).toEqual({ subject: 'hc-staff-1' });

    const error = expectClientError(await post({ query: operations(251), operationName: 'Q1' }), 400, 'GRAPHQL_PARSE_FAILED');
    expect(error.message).toMatch(/2000 tokens/);
    expectClientError(await post({ query: `{ viewer { ${'__typename '.repeat(5000)}} }` }), 400, 'GRAPHQL_PARSE_FAILED');
  });

  it('refuses a query over the cost limit', async () => {
    const response = await post({ query: `{ ${Array.from({ length: 12 }, (_, i) => `p${i}: people(first: 100) { edges { node { organisation { schemes { id name purpose } } } } }`).join(' ')} }` });
    const error = expectClientError(response, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toMatch(/cost/i);
  });

  it('refuses more than 20 directives', async () => {
    const twenty = await post({ query: `{ viewer { ${'subject @include(if: true) '.repeat(20)}} }` });
    expect(twenty.body.errors).toBeUndefined();
    const error = expectClientError(await post({ query: `{ viewer { ${'subject @include(if: true) '.repeat(21)}} }` }), 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toMatch(/directives/i);
  });

  it('refuses a subscription, which the schema does not offer, as a client error', async () => {
    const error = expectClientError(await post({ query: 'subscription { viewer { subject } }' }), 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toMatch(/subscription/);
  });

  it('refuses bad variables and unknown operation names with client codes', async () => {
    const query = 'query Node($id: ID!) { node(id: $id) { id } }';
    expectClientError(await post({ query, variables: { id: { not: 'an id' } } }), 400, 'BAD_USER_INPUT');
    expectClientError(await post({ query }), 400, 'BAD_USER_INPUT');
    expectClientError(await post({ query, variables: { id: 'x' }, operationName: 'Other' }), 400, 'OPERATION_RESOLUTION_FAILURE');
  });

  it('refuses batched requests', async () => {
    const response = await post([{ query: '{ viewer { subject } }' }, { query: '{ viewer { subject } }' }]);
    expectClientError(response, 400, 'BAD_REQUEST');
  });
});

describe('response headers', () => {
  it('gives every response an x-request-id, and echoes a well-formed one the client sends', async () => {
    const generated = await platform.http.get('/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    const echoed = await post({ query: '{ viewer { subject } }' }).set('x-request-id', 'client-req.42_a');
    expect(echoed.status).toBe(200);
    expect(echoed.headers['x-request-id']).toBe('client-req.42_a');

    const refused = await platform.http.get('/healthz').set('x-request-id', 'has spaces and <script>');
    expect(refused.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const tooLong = await platform.http.get('/healthz').set('x-request-id', 'a'.repeat(101));
    expect(tooLong.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const unauthenticated = await platform.http.post('/graphql').send({ query: '{ viewer { subject } }' });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports the SQL statements an operation ran (x-sql-statements) outside production', async () => {
    const response = await platform.graphql(STAFF_MEMBER, '{ viewer { subject organisation { slug } } }');
    expect(response.errors).toBeUndefined();
    expect(response.statements).toEqual(expect.any(Number));
    expect(response.statements).toBeGreaterThanOrEqual(1);
  });
});

describe('introspection', () => {
  it('is available outside production', async () => {
    const response = await platform.graphql(STAFF_MEMBER, '{ __schema { queryType { name } mutationType { name } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ __schema: { queryType: { name: 'Query' }, mutationType: { name: 'Mutation' } } });
  });
});
