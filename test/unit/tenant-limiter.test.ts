import { TenantLimiter, type TenantSlot } from '../../src/platform/database/tenant-limiter';
import { isPlatformError } from '../../src/platform/errors';

const limits = { concurrency: 2, queueLimit: 2, queueTimeoutMs: 200, costInFlight: 100 };
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Records when each promise settles, so the order of grants can be checked. */
function track<T>(promise: Promise<T>, log: string[], name: string): Promise<T> {
  return promise.then(
    (value) => (log.push(name), value),
    (error) => (log.push(`${name} refused`), Promise.reject(error)),
  );
}

async function expectRateLimited(promise: Promise<unknown>, message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isPlatformError(error)).toBe(true);
  expect((error as { extensions: Record<string, unknown> }).extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 1 });
  expect((error as Error).message).toMatch(message);
}

describe('slots', () => {
  it('grants an organisation its concurrency at once, queues the rest in order and passes each slot on', async () => {
    const limiter = new TenantLimiter(limits);
    const log: string[] = [];
    const [a, b] = await Promise.all([limiter.acquire('police'), limiter.acquire('police')]);
    const c = track(limiter.acquire('police'), log, 'c');
    const d = track(limiter.acquire('police'), log, 'd');
    await tick();
    expect(log).toEqual([]);
    expect(limiter.usage).toMatchObject({ active: 2, waiting: 2 });
    b.release();
    (await c).release();
    a.release();
    (await d).release();
    expect(log).toEqual(['c', 'd']);
    expect(limiter.usage).toEqual({ active: 0, waiting: 0, running: 0, organisations: 0 });
  });

  it('refuses at once when the queue is full, and after the timeout when the wait is too long', async () => {
    const limiter = new TenantLimiter({ ...limits, queueLimit: 1 });
    const held = await Promise.all([limiter.acquire('police'), limiter.acquire('police')]);
    const waiting = limiter.acquire('police');
    await expectRateLimited(limiter.acquire('police'), /too many requests waiting/);
    await expectRateLimited(waiting, /waited more than 200 ms/);
    held.forEach((slot) => slot.release());
    expect(limiter.usage).toEqual({ active: 0, waiting: 0, running: 0, organisations: 0 });
  });

  it('keeps organisations apart: a full organisation does not delay another', async () => {
    const limiter = new TenantLimiter({ ...limits, queueLimit: 0 });
    const police = await Promise.all([limiter.acquire('police'), limiter.acquire('police')]);
    await expectRateLimited(limiter.acquire('police'), /too many/);
    const fire = await limiter.acquire('fire');
    fire.release();
    police.forEach((slot) => slot.release());
    expect(limiter.usage.organisations).toBe(0);
  });

  it('withdraws a waiting request whose client went away, and ignores a second release', async () => {
    const limiter = new TenantLimiter(limits);
    const held = await Promise.all([limiter.acquire('police'), limiter.acquire('police')]);
    const gone = new AbortController();
    const abandoned = limiter.acquire('police', gone.signal);
    gone.abort();
    await expectRateLimited(abandoned, /abandoned/);
    held[0].release();
    held[0].release();
    expect(limiter.usage).toMatchObject({ active: 1, waiting: 0 });
    held[1].release();
    expect(limiter.usage).toEqual({ active: 0, waiting: 0, running: 0, organisations: 0 });
  });
});

describe('cost in flight', () => {
  async function slots(limiter: TenantLimiter, count: number): Promise<TenantSlot[]> {
    return Promise.all(Array.from({ length: count }, () => limiter.acquire('police')));
  }

  it('runs an operation alone whatever its cost, and makes the next wait until the running ones fit the budget', async () => {
    const limiter = new TenantLimiter({ ...limits, concurrency: 3 });
    const [heavy, light, other] = await slots(limiter, 3);
    await heavy.admit(150); // over the budget, but alone
    const log: string[] = [];
    const lightRuns = track(light.admit(10), log, 'light');
    await tick();
    expect(log).toEqual([]);
    expect(limiter.usage).toMatchObject({ running: 150, waiting: 1 });
    heavy.release();
    await lightRuns;
    // Light operations run side by side while they fit.
    await other.admit(80);
    expect(limiter.usage.running).toBe(90);
    light.release();
    other.release();
    expect(limiter.usage).toEqual({ active: 0, waiting: 0, running: 0, organisations: 0 });
  });

  it('admits first come, first served, so a heavy operation is not overtaken for ever', async () => {
    const limiter = new TenantLimiter({ ...limits, concurrency: 3 });
    const [first, heavy, light] = await slots(limiter, 3);
    await first.admit(60);
    const log: string[] = [];
    const heavyRuns = track(heavy.admit(60), log, 'heavy');
    const lightRuns = track(light.admit(10), log, 'light');
    await tick();
    expect(log).toEqual([]); // light would fit, but waits behind heavy
    first.release();
    await Promise.all([heavyRuns, lightRuns]);
    expect(log).toEqual(['heavy', 'light']);
    heavy.release();
    light.release();
    expect(limiter.usage).toEqual({ active: 0, waiting: 0, running: 0, organisations: 0 });
  });

  it('refuses an operation that waits past the timeout, and gives its place to the next', async () => {
    const limiter = new TenantLimiter({ ...limits, concurrency: 3 });
    const [running, heavy, light] = await slots(limiter, 3);
    await running.admit(60);
    const heavyWaits = heavy.admit(80);
    await tick();
    const lightRuns = light.admit(10);
    await expectRateLimited(heavyWaits, /waited more than 200 ms to run/);
    await lightRuns;
    expect(limiter.usage.running).toBe(70);
    for (const slot of [running, heavy, light]) slot.release();
    expect(limiter.usage).toEqual({ active: 0, waiting: 0, running: 0, organisations: 0 });
  });

  it('forgets the cost of a released slot, admitted or still waiting', async () => {
    const limiter = new TenantLimiter({ ...limits, concurrency: 2 });
    const [running, waiting] = await slots(limiter, 2);
    await running.admit(90);
    void waiting.admit(50).catch(() => undefined);
    await tick();
    waiting.release();
    running.release();
    expect(limiter.usage).toEqual({ active: 0, waiting: 0, running: 0, organisations: 0 });
  });
});
