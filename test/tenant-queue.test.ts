import { seedLargeOrganisation } from '../seeds';
import { asTenant, toGlobalId, usePlatform, personas, type Caller, type TestPlatform } from './support/platform';

/*
 * Each organisation's share of the database, with small limits so that the queue can be
 * filled on purpose: two transactions at once, one request waiting, for three seconds. An
 * organisation of its own holds its slots with mutations blocked on a row the test locks, so
 * nobody else's records are touched.
 */

// The queue timeout is long enough for a second request to reach the limiter on a loaded
// machine while the first still waits; nothing here depends on how fast a request is served.
const LIMITS = { DB_TENANT_CONCURRENCY: '2', DB_TENANT_QUEUE_LIMIT: '1', DB_TENANT_QUEUE_TIMEOUT_MS: '3000' };
const slug = `tenant-queue-${Date.now()}`;
const admin: Caller = { organisation: slug, roles: ['SCHEME_ADMIN', 'STAFF'], subject: 'person-1' };
const fireStaff: Caller = personas.fire.staff;
const VIEWER = '{ viewer { subject } }';
const RENAME = `mutation($input: UpdateSchemeInput!) { updateScheme(input: $input) { scheme { name } } }`;

const { platform, owner } = usePlatform({ environment: LIMITS });
let tenantId: string;
let schemeId: string;

beforeAll(async () => {
  tenantId = await seedLargeOrganisation(process.env.TEST_OWNER_URL as string, { slug, name: 'Queue Constabulary', people: 3 });
  const { rows } = await asTenant(owner, tenantId, () => owner.query(`select id from scheme where tenant_id = $1`, [tenantId]));
  schemeId = rows[0].id;
});

/**
 * Holds the organisation's two slots: the scheme's row is locked by the owner, so two renames
 * wait on it inside their transactions. Returns the renames, which finish once `unlock` runs.
 */
async function holdBothSlots() {
  await owner.query('begin');
  await owner.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
  await owner.query(`select id from scheme where tenant_id = $1 and id = $2 for update`, [tenantId, schemeId]);
  const token = await platform.token(admin);
  const renames = [1, 2].map((n) =>
    platform.graphql(token, RENAME, { input: { id: toGlobalId('Scheme', schemeId), name: `Queue scheme ${Date.now()}-${n}` } }),
  );
  // Until both hold their slot (their UPDATEs wait on the lock).
  await until(() => platform.platform.http.limiter.usage.active === 2);
  expect(platform.platform.http.limiter.usage.active).toBe(2);
  return {
    renames,
    unlock: () => owner.query('rollback'),
  };
}

/** Polls the limiter's counters (a request reaches the limiter after its token is verified). */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition() && waited < 10_000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function expectRateLimited(response: Awaited<ReturnType<TestPlatform['graphql']>>, headers: Record<string, string>) {
  expect(response.status).toBe(429);
  expect(response.errors).toEqual([{ message: expect.stringMatching(/try again in 3 s/), extensions: { code: 'RATE_LIMITED', retryAfter: 3 } }]);
  expect(headers['retry-after']).toBe('3');
  expect(response.text).not.toMatch(/stacktrace|\bat .+\.(js|ts):\d+/);
}

/** A call that also returns the response headers. */
async function call(caller: Caller, query: string) {
  const token = await platform.token(caller);
  const response = await platform.http.post('/graphql').set('Content-Type', 'application/json').set('Authorization', `Bearer ${token}`).send({ query });
  return {
    headers: response.headers as Record<string, string>,
    graphql: { status: response.status, data: response.body?.data, errors: response.body?.errors, body: response.body, text: response.text, statements: undefined },
  };
}

it('refuses an organisation’s request with 429 when its slots are busy and its queue is full, and one that waits too long', async () => {
  const { renames, unlock } = await holdBothSlots();
  try {
    // The first request beyond the slots waits its turn; the next finds the queue full.
    const waiting = call(admin, VIEWER);
    await until(() => platform.platform.http.limiter.usage.waiting === 1);
    expect(platform.platform.http.limiter.usage.waiting).toBe(1);
    const refused = await call(admin, VIEWER);
    expectRateLimited(refused.graphql, refused.headers);
    expect(refused.graphql.errors![0].message).toMatch(/too many requests waiting/);

    // The waiting one is refused once DB_TENANT_QUEUE_TIMEOUT_MS has passed.
    const timedOut = await waiting;
    expectRateLimited(timedOut.graphql, timedOut.headers);
    expect(timedOut.graphql.errors![0].message).toMatch(/waited more than 3000 ms/);
  } finally {
    await unlock();
  }
  for (const rename of await Promise.all(renames)) expect(rename.errors).toBeUndefined();
  expect(platform.platform.http.limiter.usage).toEqual({ active: 0, waiting: 0, running: 0, organisations: 0 });
});

it('serves another organisation at once while one organisation’s slots are all held', async () => {
  const { renames, unlock } = await holdBothSlots();
  try {
    // Police's slots stay held throughout: had fire queued behind them, it would have been
    // refused with 429 once the queue timeout passed, not served.
    for (let i = 0; i < 3; i += 1) {
      const response = await platform.graphql(fireStaff, VIEWER);
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
    }
    expect(platform.platform.http.limiter.usage.waiting).toBe(0);
  } finally {
    await unlock();
  }
  await Promise.all(renames);
});

it('lets a queued request through as soon as a slot is free', async () => {
  const { renames, unlock } = await holdBothSlots();
  const queued = call(admin, VIEWER);
  await until(() => platform.platform.http.limiter.usage.waiting === 1);
  expect(platform.platform.http.limiter.usage.waiting).toBe(1);
  await unlock();
  const served = await queued;
  expect(served.graphql.status).toBe(200);
  expect(served.graphql.data).toEqual({ viewer: { subject: 'person-1' } });
  await Promise.all(renames);
  expect(platform.platform.http.limiter.usage).toEqual({ active: 0, waiting: 0, running: 0, organisations: 0 });
});
