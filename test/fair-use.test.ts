import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { config } from '../src/platform/config';
import { POLICE, demoIds, toGlobalId, usePlatform, personas, type Caller } from './support/platform';

/*
 * Fair use of the database between organisations, with the default limits: one organisation
 * sending as much of its heaviest allowed operation as it can must not slow another
 * organisation's trivial request. Its requests beyond its share of the pool wait in its own
 * queue or are refused with RATE_LIMITED; none fails with a 500; every slot comes back.
 */

const { platform } = usePlatform({
  beforeClose: async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  },
});
let server: Server;
let url: string;

const policeAdmin: Caller = personas.police.admin;
const fireStaff: Caller = personas.fire.staff;
const scheme = toGlobalId('Scheme', demoIds.scheme(POLICE));
const FLOOD = 60;

/** Four aliases of a scheme's coverage: close to the cost limit, the heaviest the admin may send. */
const HEAVIEST = `{ ${Array.from({ length: 4 }, (_, i) => `a${i}: scheme(id: "${scheme}") { coverage { areas { area activeMilos } } }`).join(' ')} }`;
const VIEWER = '{ viewer { subject roles } }';

beforeAll(async () => {
  // One listening server for every request, as in production (supertest would otherwise
  // start one per request).
  server = await new Promise<Server>((resolve) => {
    const listening = platform.platform.http.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

const send = (token: string, query: string) =>
  request(url).post('/graphql').set('Content-Type', 'application/json').set('Authorization', `Bearer ${token}`).send({ query });

async function timed(token: string, query: string): Promise<number> {
  const started = performance.now();
  const response = await send(token, query);
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

it('keeps another organisation’s viewer fast while one organisation floods the server with its heaviest allowed operation', async () => {
  const [admin, victim] = await Promise.all([platform.token(policeAdmin), platform.token(fireStaff)]);

  // The flood's operation is allowed (and, checked last, close to the limit).
  const alone = await send(admin, HEAVIEST);
  expect(alone.body.errors).toBeUndefined();

  // Warm-up: the victim's path, and every connection of the pool opened (as in a running server).
  for (let i = 0; i < 5; i += 1) await timed(victim, VIEWER);
  await Promise.all(Array.from({ length: 2 * config().poolSize }, () => timed(victim, VIEWER)));
  const unloaded: number[] = [];
  for (let i = 0; i < 20; i += 1) unloaded.push(await timed(victim, VIEWER));

  // What the limiter holds for the flooding organisation, sampled while it lasts.
  const held = { active: 0, waiting: 0 };
  const sampler = setInterval(() => {
    const usage = platform.platform.http.limiter?.usageOf(demoIds.organisation(POLICE));
    held.active = Math.max(held.active, usage?.active ?? 0);
    held.waiting = Math.max(held.waiting, usage?.waiting ?? 0);
  }, 5);
  let flooding = true;
  const flood = Promise.all(Array.from({ length: FLOOD }, () => send(admin, HEAVIEST))).finally(() => {
    flooding = false;
  });
  // Let the flood take every slot it can before the victim asks.
  await new Promise((resolve) => setTimeout(resolve, 200));
  // Only requests made while the flood lasts: a victim stuck behind it makes few, slow ones.
  const loaded: number[] = [];
  while (flooding) loaded.push(await timed(victim, VIEWER));
  const answers = await flood;
  clearInterval(sampler);

  // A floor well above a noisy machine's jitter, far below what an unfair server gave (seconds).
  const bound = Math.max(10 * median(unloaded), 2000);
  // Reported, so a slow run shows how far off it was.
  process.stdout.write(
    `fair use: victim unloaded median ${median(unloaded).toFixed(1)} ms; during the flood median ${median(loaded).toFixed(1)} ms, ` +
      `max ${Math.max(...loaded).toFixed(1)} ms over ${loaded.length} requests (bound ${bound.toFixed(0)} ms); ` +
      `flood: at most ${held.active} at once, ${held.waiting} waiting; answers ${JSON.stringify(answers.reduce<Record<number, number>>((counts, answer) => ({ ...counts, [answer.status]: (counts[answer.status] ?? 0) + 1 }), {}))}\n`,
  );
  expect(loaded.length).toBeGreaterThanOrEqual(5);
  expect(median(loaded)).toBeLessThan(bound);

  // The flooding organisation is served or told to come back: never a 500.
  for (const answer of answers) {
    expect([200, 429]).toContain(answer.status);
    if (answer.status === 200) {
      expect(answer.body.errors).toBeUndefined();
    } else {
      expect(answer.body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } }]);
      expect(answer.headers['retry-after']).toBe(String(answer.body.errors[0].extensions.retryAfter));
    }
  }
  // Its share is DB_TENANT_CONCURRENCY at once: the rest queued (and, past the queue's bound
  // or its timeout, were told to come back).
  expect(held.active).toBeLessThanOrEqual(config().tenantConcurrency);
  expect(held.waiting + answers.filter((answer) => answer.status === 429).length).toBeGreaterThan(0);
  expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(config().tenantConcurrency);

  expect(platform.platform.http.limiter.usage).toEqual({ active: 0, waiting: 0, running: 0, organisations: 0 });
  expect(Number(alone.headers['x-query-cost'])).toBeGreaterThan(0.8 * config().limits.maxCost);
  expect(Number(alone.headers['x-query-cost'])).toBeLessThanOrEqual(config().limits.maxCost);
});

it('gives every slot back after a burst of operations that roll back and write kept audit events in a follow-up transaction', async () => {
  const clinician = await platform.token(personas.southernHealth.clinician);
  // A partner's reads are audited even when a sibling field fails: the operation rolls back and
  // the audit events are written in a second transaction, inside the same slot.
  const partial = `{ carePlansSharedWithUs(first: 20) { edges { node { id whatHelps } } } bad: carePlan(id: "not-an-id") { id } }`;
  const answers = await Promise.all(Array.from({ length: 3 * config().tenantConcurrency }, () => send(clinician, partial)));
  for (const answer of answers) {
    expect(answer.status).toBe(200);
    expect(answer.body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
  }
  // Refused before their transaction (an unknown token) and after it (over the cost limit): no slot kept either way.
  await send('not-a-token', VIEWER);
  const admin = await platform.token(policeAdmin);
  expect((await send(admin, `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: scheme(id: "${scheme}") { coverage { activeMilos } }`).join(' ')} }`)).status).toBe(400);
  expect(platform.platform.http.limiter.usage).toEqual({ active: 0, waiting: 0, running: 0, organisations: 0 });
});
