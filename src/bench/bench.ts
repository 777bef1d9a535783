import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { Platform } from '../app';
import type { Viewer } from '../platform/context';
import type { EmbeddedPostgresHandle } from '../dev/embedded-postgres';

/**
 * `npm run bench`: speed and memory of the platform, printed, never asserted.
 *
 * Like the tests, it works on a throwaway database (a fresh `milo_bench_*` database on
 * DATABASE_URL's server, else a throwaway embedded PostgreSQL), migrated and seeded, plus one
 * bench organisation of 1,000 people. The platform runs in-process on an ephemeral loopback
 * port and is driven over real HTTP with real development-issuer tokens, in bounded loops.
 * Run node with --expose-gc (the npm script does) for meaningful heap numbers.
 *
 * Modules that read the configuration at import time (the logger) are loaded only after the
 * environment below is set, hence the dynamic imports.
 */

const PEOPLE = 1_000;
const WARM_UP = 30;
const REQUESTS = 300;
const CONCURRENCY = 8;
/** Distinct viewer keys asked of a SchemaRegistry for the per-key heap cost. */
const REGISTRY_KEYS = 10_000;
/** Fair use: concurrent requests of the heaviest allowed operation one organisation floods with. */
const FLOOD = 60;
/** Fair use: rounds, each with and without the limiter in turn, so drift hits both alike. */
const FAIR_USE_ROUNDS = 3;
/** Fair use: the victim's sequential requests with nothing else running, per round and mode. */
const VICTIM_UNLOADED = 40;
/** Extra Apollo servers, each over its own freshly built schema, for the per-variant cost. */
const EXTRA_SERVERS = 10;
/** Variants built, started and stopped first, so compiled code does not count as variant heap. */
const WARM_UP_VARIANTS = 2;

const gc = (globalThis as { gc?: () => void }).gc;

/** Cleanup steps, run in reverse order on success, failure and Ctrl-C. */
const cleanups: Array<{ name: string; run: () => Promise<void> | void }> = [];
let cleaning: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const step = cleanups.pop()!;
      try {
        await step.run();
      } catch (error) {
        process.stderr.write(`bench: cleanup "${step.name}" failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  })();
  return cleaning;
}


/** host:port of a connection string, never its credentials. */
function serverOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function table(header: string[], rows: string[][], rightAligned: (index: number) => boolean): void {
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => row[index].length)));
  const line = (cells: string[]) =>
    cells.map((cell, index) => (rightAligned(index) ? cell.padStart(widths[index]) : cell.padEnd(widths[index]))).join('  ');
  out(line(header));
  out(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) out(line(row));
}

/** Heap in use once garbage collection stops freeing more than 1 KiB (with --expose-gc). */
async function settledHeap(): Promise<number> {
  let previous = Number.POSITIVE_INFINITY;
  let heap = process.memoryUsage().heapUsed;
  for (let round = 0; round < 10 && Math.abs(previous - heap) > 1024; round += 1) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 5));
    previous = heap;
    heap = process.memoryUsage().heapUsed;
  }
  return heap;
}

interface Operation {
  name: string;
  query: string;
  /** Defaults to the bench organisation's scheme admin. */
  token?: string;
}

interface CallResult {
  statements: number | undefined;
  cost: number | undefined;
  bytes: number;
}

interface Measurement {
  operation: string;
  mode: string;
  latencies: number[];
  wallMs: number;
  statements: Set<number | undefined>;
  cost: number | undefined;
  bytes: number;
}

/** The victim's latencies and the flood's answers in one mode of the fair-use rounds. */
interface FairUseSamples {
  unloaded: number[];
  loaded: number[];
  answers: Map<number, number>;
  floodMs: number[];
}

async function serverVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>('show server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

/** The year of arranged support work the demand figures are measured over. */
const BENCH_MONTHS_FROM = '2025-01-01';
const BENCH_MONTHS_TO = '2025-12-31';
const WAITING_REQUESTS = 60;
const REFERRED_REQUESTS = 60;
const CLOSED_REQUESTS = 1_200;
const SHARED_CARE_PLANS = 50;

type DemoIds = typeof import('../../seeds/index.js').demoIds;

/**
 * Work for the police scheme, written as the owner: a queue of waiting requests, closed requests
 * with a contact each over a year (for the figures), referrals to the shared unit, and care
 * plans shared with Southern Health.
 */
async function arrangeWork(ownerUrl: string, ids: DemoIds): Promise<void> {
  const police = ids.organisation('hampshire-constabulary');
  const unit = ids.organisation('hiow-occupational-health');
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('app.tenant_id', $1, true)`, [police]);
    const staff = ['hc-staff-1', 'hc-staff-3', 'hc-staff-4'].map((subject) => ids.person('hampshire-constabulary', subject));
    const milos = ['hc-milo-01', 'hc-milo-02', 'hc-milo-03', 'hc-milo-05'].map((subject) => ids.milo('hampshire-constabulary', subject));
    const areas = ['Southampton', 'Portsmouth', 'Basingstoke', 'Winchester', 'Isle of Wight'];
    const params = [police, ids.scheme('hampshire-constabulary'), staff, milos, areas];
    await client.query(
      `insert into support_request (tenant_id, scheme_id, requester_person_id, urgency, preferred_area, summary, status, created_at)
       select $1, $2, ($3::uuid[])[1 + n % 3], (array['ROUTINE','SOON','URGENT'])[1 + n % 3], ($4::text[])[1 + n % 5], 'Bench request', 'WAITING',
              now() - make_interval(hours => n * 3)
         from generate_series(1, ${WAITING_REQUESTS}) n`,
      [police, ids.scheme('hampshire-constabulary'), staff, areas],
    );
    await client.query(
      `with requests as (
         insert into support_request (tenant_id, scheme_id, requester_person_id, urgency, preferred_area, status, assigned_milo_id, assigned_at,
                                      closed_at, closure_outcome_code, created_at)
         select $1, $2, ($3::uuid[])[1 + n % 3], 'ROUTINE', ($5::text[])[1 + n % 5], 'CLOSED', ($4::uuid[])[1 + n % 4],
                timestamptz '2025-01-01' + make_interval(hours => n * 7 + 20), timestamptz '2025-01-01' + make_interval(hours => n * 7 + 200),
                'RESOLVED', timestamptz '2025-01-01' + make_interval(hours => n * 7)
           from generate_series(1, ${CLOSED_REQUESTS}) n
         returning id, assigned_milo_id, created_at)
       insert into support_contact (tenant_id, support_request_id, milo_id, contact_on, minutes, theme_codes, outcome_code, created_by)
       select $1, requests.id, requests.assigned_milo_id, (requests.created_at + interval '2 days')::date, 45, array['WORK_STRESS'], 'SUPPORT_GIVEN', ($3::uuid[])[1]
         from requests`,
      params,
    );
    await client.query(
      `with requests as (
         insert into support_request (tenant_id, scheme_id, requester_person_id, urgency, preferred_area, status, assigned_milo_id, assigned_at)
         select $1, $2, ($3::uuid[])[1 + n % 3], 'SOON', ($5::text[])[1 + n % 5], 'ASSIGNED', ($4::uuid[])[1 + n % 4], now()
           from generate_series(1, ${REFERRED_REQUESTS}) n
         returning id)
       insert into referral (tenant_id, support_request_id, agreement_id, target_organisation_id, service_id, service_name, referred_by, urgency,
                             consent_confirmed, colleague_name, contact_details, reason, status)
       select $1, requests.id, $6, $7, $8, 'Occupational Health referral', ($3::uuid[])[1], 'SOON', true, 'Bench colleague', 'work mobile', 'Bench referral', 'SENT'
         from requests`,
      [...params, ids.agreement('hampshire-constabulary', 'hiow-occupational-health'), unit, ids.signpostingService('hiow-occupational-health', 'oh-referral')],
    );
    // Care plans shared with Southern Health: on the care team, two SHARED inputs each.
    await client.query(
      `with plans as (
         insert into care_plan (tenant_id, reference, status, lawful_basis, review_due_on, what_helps, what_to_avoid, agreed_response)
         select $1, 'CP-BENCH-' || lpad(n::text, 4, '0'), 'ACTIVE', 'DPA 2018 Part 3, s.35', current_date + n, 'A calm voice', 'Crowding', 'Street triage first'
           from generate_series(1, ${SHARED_CARE_PLANS}) n
         returning id),
       team as (
         insert into care_team_member (tenant_id, care_plan_id, member_organisation_id, display_name, role)
         select $1, plans.id, $2, 'Bench clinician', 'Community mental health nurse' from plans)
       insert into care_plan_input (tenant_id, care_plan_id, author_organisation_id, author_name, kind, body, visibility)
       select $1, plans.id, $1, 'Bench MILO', 'MILO', 'Input ' || k, 'SHARED' from plans, generate_series(1, 2) k`,
      [police, ids.organisation('southern-health')],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = os.loadavg();

  // 1. Environment, before any configuration-dependent module is loaded.
  if (process.env.NODE_ENV === 'production') {
    throw new Error('The bench needs the development issuer and the x-sql-statements header: do not run it with NODE_ENV=production');
  }
  // As in the tests: quiet, and Apollo Server registers no SIGINT/SIGTERM handlers of its own
  // (outside NODE_ENV=test it stops itself and re-raises the signal, cutting this cleanup short).
  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL ||= 'silent';
  process.env.DEV_ISSUER_ENABLED = 'true';
  // The bench's own database decides the application role's URL.
  delete process.env.DATABASE_APP_URL;
  const keyFile = path.join(os.tmpdir(), `milo-bench-issuer-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  process.env.DEV_ISSUER_KEY_FILE = keyFile;
  const removeKeyFile = () => rmSync(keyFile, { force: true });
  cleanups.push({ name: 'remove the issuer key', run: removeKeyFile });
  process.once('exit', removeKeyFile); // whatever ends the process

  const { resetConfig, config } = await import('../platform/config.js');
  resetConfig();
  const { migrations } = await import('../../migrations/index.js');
  const { demoIds, demoSubjectFor, seedDemoData, seedLargeOrganisation } = await import('../../seeds/index.js');
  const { entities } = await import('../modules/index.js');
  const { createPlatform, schemaParts } = await import('../app.js');
  const { DevIssuer } = await import('../platform/auth/dev-issuer.js');
  const { startEmbeddedPostgres } = await import('../dev/embedded-postgres.js');
  const { dropDatabase, ensureDatabase, migrateDatabase } = await import('../platform/database/prepare.js');
  const { withDatabase } = await import('../platform/database/connection-urls.js');
  const { buildBaseSchema } = await import('../platform/graphql/schema.js');
  const { createApolloServer } = await import('../platform/graphql/apollo.js');
  const { SchemaRegistry } = await import('../platform/graphql/schema-registry.js');

  // 2. A throwaway database, migrated and seeded.
  let phase = performance.now();
  let serverUrl = process.env.DATABASE_URL || undefined;
  let embedded: EmbeddedPostgresHandle | undefined;
  if (!serverUrl) {
    const starting = startEmbeddedPostgres({ persistent: false, port: 0 });
    // Registered before it is up, so that a Ctrl-C during start-up still stops it.
    cleanups.push({ name: 'stop the embedded PostgreSQL', run: async () => (await starting.catch(() => undefined))?.stop() });
    embedded = await starting;
    serverUrl = embedded.url;
  }
  const database = `milo_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const adminUrl = withDatabase(serverUrl, database);
  const creating = ensureDatabase(adminUrl);
  cleanups.push({
    name: `drop database ${database}`,
    run: async () => {
      const created = await creating.then(
        () => true,
        () => false,
      );
      if (!created || (interrupted && embedded)) return; // nothing to drop, or the throwaway cluster is going anyway
      await dropDatabase(adminUrl);
    },
  });
  await creating;
  const urls = await migrateDatabase(adminUrl, entities, migrations);
  await seedDemoData(urls.owner);
  const databaseReadyMs = performance.now() - phase;

  // 3. The bench organisation: 1,000 people with STAFF, person-1 also SCHEME_ADMIN.
  phase = performance.now();
  const slug = `bench-${Date.now()}`;
  await seedLargeOrganisation(urls.owner, { slug, name: 'Bench Constabulary', people: PEOPLE });
  await arrangeWork(urls.owner, demoIds);
  const postgresVersion = await serverVersion(urls.owner);
  const arrangeMs = performance.now() - phase;

  // 4. The platform, in-process, on an ephemeral loopback port.
  phase = performance.now();
  const platform: Platform = await createPlatform(urls.app);
  cleanups.push({ name: 'close the platform', run: () => platform.close() });
  const platformMs = performance.now() - phase;
  const httpServer = await new Promise<Server>((resolve, reject) => {
    const server = platform.http.app.listen(0, '127.0.0.1', () => resolve(server));
    server.once('error', reject);
  });
  cleanups.push({
    name: 'close the HTTP server',
    run: () =>
      new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      }),
  });
  const endpoint = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;

  const issuer = await DevIssuer.load();
  const token = await issuer.sign({ organisation: slug, subject: 'person-1', roles: ['SCHEME_ADMIN'], expiresIn: '1h' });

  const call = async (operation: Operation): Promise<CallResult> => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operation.token ?? token}` },
      body: JSON.stringify({ query: operation.query }),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${operation.name}: HTTP ${response.status}: ${text.slice(0, 500)}`);
    const body = JSON.parse(text) as { errors?: unknown[]; data?: unknown };
    if (body.errors?.length || !body.data) throw new Error(`${operation.name}: ${text.slice(0, 500)}`);
    const statements = response.headers.get('x-sql-statements');
    const cost = response.headers.get('x-query-cost');
    return {
      statements: statements === null ? undefined : Number(statements),
      cost: cost === null ? undefined : Number(cost),
      bytes: Buffer.byteLength(text),
    };
  };

  const measure = async (operation: Operation, concurrency: number): Promise<Measurement> => {
    const latencies = new Array<number>(REQUESTS);
    const statements = new Set<number | undefined>();
    let bytes = 0;
    let cost: number | undefined;
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < REQUESTS; index = next++) {
        const t0 = performance.now();
        const result = await call(operation);
        latencies[index] = performance.now() - t0;
        statements.add(result.statements);
        bytes = result.bytes;
        cost = result.cost;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const wallMs = performance.now() - t0;
    return {
      operation: operation.name,
      mode: concurrency === 1 ? 'sequential' : `concurrency ${concurrency}`,
      latencies: latencies.sort((a, b) => a - b),
      wallMs,
      statements,
      cost,
      bytes,
    };
  };

  // The seeded police scheme: about 60 MILOs, each status and eligibility computed on read.
  const policeAdmin = await issuer.sign({ organisation: 'hampshire-constabulary', subject: 'hc-admin-1', roles: ['SCHEME_ADMIN'], expiresIn: '1h' });
  const policeScheme = Buffer.from(`Scheme:${demoIds.scheme('hampshire-constabulary')}`).toString('base64url');
  const policeLead = await issuer.sign({ organisation: 'hampshire-constabulary', subject: 'hc-staff-2', roles: ['STAFF'], expiresIn: '1h' });
  const clinician = await issuer.sign({ organisation: 'southern-health', subject: 'sh-clinician-1', roles: ['PARTNER'], expiresIn: '1h' });
  const unitAdviser = await issuer.sign({ organisation: 'hiow-occupational-health', subject: 'oh-adviser-1', roles: ['PARTNER', 'STAFF'], expiresIn: '1h' });
  const operations: Operation[] = [
    { name: 'viewer { subject roles }', query: '{ viewer { subject roles } }' },
    { name: 'people(first: 100)', query: `{ people(first: 100) { edges { node { displayName roles organisation { name } } } } }` },
    { name: 'people(first: 100) + totalCount', query: `{ people(first: 100) { totalCount edges { node { displayName roles organisation { name } } } } }` },
    {
      name: 'milos(first: 60) + eligibility, records',
      token: policeAdmin,
      query: `{ milos(schemeId: "${policeScheme}", first: 60) { edges { node { status area eligibility { eligible nextLapseOn unmet { title reason } } person { displayName trainingRecords { completedOn expiresOn } } } } } }`,
    },
    {
      name: 'scheme coverage + expiring in 30 days',
      token: policeAdmin,
      query: `{ scheme(id: "${policeScheme}") { coverage { activeMilos activeLeadMilos areas { area activeMilos } } } milosWithTrainingExpiring(schemeId: "${policeScheme}", withinDays: 30) { daysLeft milo { area } } }`,
    },
    {
      name: 'supportQueue(first: 50), Lead',
      token: policeLead,
      query: `{ supportQueue(schemeId: "${policeScheme}", first: 50) { totalCount edges { node { urgency waitingHours waitingBeyondTarget requester { displayName } summary } } } }`,
    },
    {
      name: 'referralsReceived(first: 50), the unit',
      token: unitAdviser,
      query: `{ referralsReceived(first: 50) { edges { node { status urgency reason colleagueName serviceName referringOrganisation { name } } } } }`,
    },
    {
      name: 'carePlansSharedWithUs(first: 50), a partner',
      token: clinician,
      query: `{ carePlansSharedWithUs(first: 50) { edges { node { reference status owner { name } whatHelps whatToAvoid agreedResponse reviewDueOn careTeam { displayName role organisation { name } } inputs { kind authorName body } } } } }`,
    },
    {
      name: 'demandFigures, 12 months',
      token: policeAdmin,
      query: `{ demandFigures(input: { schemeId: "${policeScheme}", from: "${BENCH_MONTHS_FROM}", to: "${BENCH_MONTHS_TO}" }) { rows { month area supportRequests { value } contacts { value } hours { value } themes { code count { value } } signposting { serviceName count { value } } waitingTime { medianHours { value } } } } }`,
    },
  ];

  phase = performance.now();
  const measurements: Measurement[] = [];
  for (const operation of operations) {
    for (let index = 0; index < WARM_UP; index += 1) await call(operation);
    measurements.push(await measure(operation, 1));
    measurements.push(await measure(operation, CONCURRENCY));
  }
  const httpMs = performance.now() - phase;

  // 4b. Fair use: a trivial request of one organisation while another floods the server with
  // its heaviest allowed operation, on this platform (the limiter as configured) and on a
  // second one whose limiter lets an organisation have the whole pool, no queue bound and no
  // cost budget (what the server did before). Rounds alternate between the two.
  phase = performance.now();
  const limitsOff = {
    DB_TENANT_CONCURRENCY: String(config().poolSize),
    DB_TENANT_QUEUE_LIMIT: String(FLOOD * 10),
    DB_TENANT_QUEUE_TIMEOUT_MS: '600000',
    DB_TENANT_COST_IN_FLIGHT: String(Number.MAX_SAFE_INTEGER),
  };
  const limitsOn = config();
  const savedLimits = Object.fromEntries(Object.keys(limitsOff).map((name) => [name, process.env[name]]));
  Object.assign(process.env, limitsOff);
  resetConfig();
  const unlimited: Platform = await createPlatform(urls.app);
  for (const [name, value] of Object.entries(savedLimits)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfig();
  cleanups.push({ name: 'close the platform without limits', run: () => unlimited.close() });
  const unlimitedServer = await new Promise<Server>((resolve, reject) => {
    const server = unlimited.http.app.listen(0, '127.0.0.1', () => resolve(server));
    server.once('error', reject);
  });
  cleanups.push({
    name: 'close the HTTP server without limits',
    run: () =>
      new Promise<void>((resolve) => {
        unlimitedServer.close(() => resolve());
        unlimitedServer.closeAllConnections();
      }),
  });
  const unlimitedEndpoint = `http://127.0.0.1:${(unlimitedServer.address() as AddressInfo).port}/graphql`;

  const fireStaff = await issuer.sign({
    organisation: 'hampshire-fire-rescue',
    subject: demoSubjectFor('hampshire-fire-rescue', 'STAFF') ?? 'bench-fire-staff',
    roles: ['STAFF'],
    expiresIn: '1h',
  });
  const victimQuery = '{ viewer { subject roles } }';
  // Aliases of a scheme's coverage, as many as the cost limit allows: the flood of the finding.
  const coverage = (aliases: number) =>
    `{ ${Array.from({ length: aliases }, (_, i) => `a${i}: scheme(id: "${policeScheme}") { coverage { activeMilos areas { area activeMilos } } }`).join(' ')} }`;
  let floodAliases = 1;
  while ((await call({ name: 'coverage', token: policeAdmin, query: coverage(floodAliases + 1) }).catch(() => undefined))?.cost !== undefined) {
    floodAliases += 1;
  }
  const heaviest = await call({ name: 'heaviest', token: policeAdmin, query: coverage(floodAliases) });
  const post = (url: string, bearer: string, query: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ query }) });
  const victimOnce = async (url: string): Promise<number> => {
    const t0 = performance.now();
    const response = await post(url, fireStaff, victimQuery);
    const text = await response.text();
    if (response.status !== 200 || text.includes('"errors"')) throw new Error(`fair use: the victim's request failed: HTTP ${response.status} ${text.slice(0, 300)}`);
    return performance.now() - t0;
  };
  const fairUse = new Map<string, FairUseSamples>();
  const modes = [
    { name: `limiter on (${limitsOn.tenantConcurrency} at once, ${limitsOn.tenantQueueLimit} waiting for ${limitsOn.tenantQueueTimeoutMs} ms, cost ${limitsOn.tenantCostInFlight} in flight)`, url: endpoint },
    { name: `limiter off (the whole pool of ${limitsOn.poolSize}, no queue bound, no cost budget)`, url: unlimitedEndpoint },
  ];
  for (let round = 0; round < FAIR_USE_ROUNDS; round += 1) {
    for (const mode of round % 2 === 0 ? modes : [...modes].reverse()) {
      const samples = fairUse.get(mode.name) ?? { unloaded: [], loaded: [], answers: new Map<number, number>(), floodMs: [] };
      fairUse.set(mode.name, samples);
      for (let index = 0; index < 5; index += 1) await victimOnce(mode.url);
      for (let index = 0; index < VICTIM_UNLOADED; index += 1) samples.unloaded.push(await victimOnce(mode.url));
      let flooding = true;
      const floodStarted = performance.now();
      const flood = Promise.all(
        Array.from({ length: FLOOD }, () =>
          post(mode.url, policeAdmin, coverage(floodAliases)).then(async (response) => {
            await response.arrayBuffer();
            return response.status;
          }),
        ),
      ).finally(() => {
        flooding = false;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      while (flooding) samples.loaded.push(await victimOnce(mode.url));
      for (const status of await flood) samples.answers.set(status, (samples.answers.get(status) ?? 0) + 1);
      samples.floodMs.push(performance.now() - floodStarted);
    }
  }
  const fairUseMs = performance.now() - phase;

  // 5. Schema variants.
  phase = performance.now();
  // (a) Heap per additional cached key: today every key shares the base schema's one server.
  const registrySchema = await buildBaseSchema(schemaParts());
  const registry = new SchemaRegistry(registrySchema);
  cleanups.push({ name: 'stop the registry', run: () => registry.stop() });
  const demoViewer: Viewer = {
    organisation: {
      id: randomUUID(),
      slug,
      name: 'Bench Constabulary',
      kind: 'POLICE',
      status: 'ACTIVE',
      configurationVersion: 1,
      tokenIssuer: null,
      tokenJwksUrl: null,
      tokenPublicKey: null,
    },
    subject: 'person-1',
    personId: null,
    roles: new Set(['SCHEME_ADMIN'] as const),
    audience: 'SCHEME_ADMIN',
  };
  // randomUUID() returns a rope of small strings that a Map key would keep alive (~650 B);
  // ids read from PostgreSQL, as in production, are flat strings.
  const flatUuid = () => Buffer.from(randomUUID(), 'latin1').toString('latin1');
  const viewerFor = (index: number): Viewer => ({
    ...demoViewer,
    organisation: { ...demoViewer.organisation, id: flatUuid(), configurationVersion: index },
  });
  await registry.serverFor(demoViewer);
  const heapOneKey = await settledHeap();
  for (let index = 0; index < REGISTRY_KEYS; index += 1) await registry.serverFor(viewerFor(index));
  const heapManyKeys = await settledHeap();
  const registrySize = registry.size;
  await registry.stop();

  // (b) One more Apollo server over a freshly built schema: what a real variant will cost.
  for (let index = 0; index < WARM_UP_VARIANTS; index += 1) await (await createApolloServer(await buildBaseSchema(schemaParts()))).stop();
  const heapBeforeSchemas = await settledHeap();
  const schemas = [];
  const buildTimes: number[] = [];
  for (let index = 0; index < EXTRA_SERVERS; index += 1) {
    const t0 = performance.now();
    schemas.push(await buildBaseSchema(schemaParts()));
    buildTimes.push(performance.now() - t0);
  }
  const heapAfterSchemas = await settledHeap();
  const servers: Array<Awaited<ReturnType<typeof createApolloServer>>> = [];
  cleanups.push({ name: 'stop the extra Apollo servers', run: async () => void (await Promise.all(servers.map((server) => server.stop()))) });
  const startTimes: number[] = [];
  for (const schema of schemas) {
    const t0 = performance.now();
    servers.push(await createApolloServer(schema));
    startTimes.push(performance.now() - t0);
  }
  const heapAfterServers = await settledHeap();
  await Promise.all(servers.map((server) => server.stop()));
  servers.length = 0;
  schemas.length = 0;
  const heapAfterStop = await settledHeap();
  const variantsMs = performance.now() - phase;

  // 6. The report.
  const cpus = os.cpus();
  out();
  out('MILO Platform benchmark');
  out(`  node ${process.version} on ${os.platform()} ${os.arch()}, ${cpus.length} CPU(s)${cpus[0] ? ` (${cpus[0].model.trim()})` : ''}, ${mib(os.totalmem())} RAM`);
  out(
    `  PostgreSQL ${postgresVersion} ${embedded ? `embedded, throwaway cluster (fsync off) on ${serverOf(serverUrl)}` : `on DATABASE_URL's server ${serverOf(serverUrl)}`}, database ${database}`,
  );
  out(`  load average before the run ${loadBefore.map((value) => value.toFixed(2)).join(' ')}, after ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  out(`  pool size ${config().poolSize}, log level ${config().logLevel}, gc ${gc ? 'exposed' : 'NOT exposed (run node with --expose-gc): heap numbers are noisy'}`);
  out(`  NODE_ENV=${config().nodeEnv}: graphql-js runs its development-only checks, which a production server skips`);
  out(`  client and server share this process; ${PEOPLE} people in the bench organisation, token of its SCHEME_ADMIN`);
  out();
  out(`HTTP POST /graphql: ${WARM_UP} warm-up requests, then ${REQUESTS} per row`);
  table(
    ['operation', 'mode', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'req/s', 'SQL/op', 'cost', 'bytes'],
    measurements.map((m) => [
      m.operation,
      m.mode,
      ms(percentile(m.latencies, 50)),
      ms(percentile(m.latencies, 95)),
      ms(percentile(m.latencies, 99)),
      ms(m.latencies[m.latencies.length - 1]),
      ((REQUESTS * 1000) / m.wallMs).toFixed(0),
      [...m.statements].map((value) => (value === undefined ? '?' : String(value))).join('/'),
      m.cost === undefined ? '?' : String(m.cost),
      String(m.bytes),
    ]),
    (index) => index >= 2,
  );
  out(`  cost: the operation's estimated cost (x-query-cost); GRAPHQL_MAX_COST is ${config().limits.maxCost}.`);
  out();
  out(
    `Fair use: Hampshire Fire's \`${victimQuery}\` (STAFF), sequential, while Hampshire Constabulary's scheme admin sends ${FLOOD} ` +
      `concurrent requests of ${floodAliases} aliases of its scheme's coverage (cost ${heaviest.cost}, the most the limit allows); ` +
      `${FAIR_USE_ROUNDS} rounds, the two modes alternating`,
  );
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  table(
    ['mode', 'unloaded p50', 'p99', 'flood p50', 'p99', 'max', 'p50 ratio', 'p99 ratio', 'victim n', 'flood answers', 'flood s'],
    [...fairUse.entries()].map(([mode, samples]) => {
      const unloaded = sorted(samples.unloaded);
      const loaded = sorted(samples.loaded);
      return [
        mode,
        ms(percentile(unloaded, 50)),
        ms(percentile(unloaded, 99)),
        ms(percentile(loaded, 50)),
        ms(percentile(loaded, 99)),
        ms(loaded[loaded.length - 1]),
        `${(percentile(loaded, 50) / percentile(unloaded, 50)).toFixed(1)}x`,
        `${(percentile(loaded, 99) / percentile(unloaded, 99)).toFixed(1)}x`,
        String(loaded.length),
        [...samples.answers.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${count}×${status}`).join(' '),
        samples.floodMs.map((value) => (value / 1000).toFixed(1)).join('/'),
      ];
    }),
    (index) => index >= 1 && index <= 8,
  );
  out('  latencies in ms; 429 = RATE_LIMITED (queue full or waited too long), which a client retries after Retry-After.');
  out();
  out('Schema variants');
  const sortedBuilds = [...buildTimes].sort((a, b) => a - b);
  const sortedStarts = [...startTimes].sort((a, b) => a - b);
  const perSchema = (heapAfterSchemas - heapBeforeSchemas) / EXTRA_SERVERS;
  const perServer = (heapAfterServers - heapAfterSchemas) / EXTRA_SERVERS;
  table(
    ['measure', 'value'],
    [
      ['createPlatform: pool, first (cold) schema build, issuer', `${ms(platformMs)} ms`],
      [`base schema build, ${EXTRA_SERVERS} more (median / min / max)`, `${ms(percentile(sortedBuilds, 50))} / ${ms(sortedBuilds[0])} / ${ms(sortedBuilds.at(-1)!)} ms`],
      [`Apollo server start, ${EXTRA_SERVERS} more (median / min / max)`, `${ms(percentile(sortedStarts, 50))} / ${ms(sortedStarts[0])} / ${ms(sortedStarts.at(-1)!)} ms`],
      ['heap per built schema', kib(perSchema)],
      ['heap per started Apollo server (over its schema)', kib(perServer)],
      ['heap per real variant (schema + server)', kib(perSchema + perServer)],
      ['heap retained after stopping them (code caches, warm-up)', kib(heapAfterStop - heapBeforeSchemas)],
      [`registry: ${registrySize} cached keys, one shared server`, `${kib(heapManyKeys - heapOneKey)} in all`],
      ['registry: heap per additional cached key', `${((heapManyKeys - heapOneKey) / REGISTRY_KEYS).toFixed(0)} B`],
    ],
    () => false,
  );
  out('  Each Apollo server also keeps its own parsed-document LRU (Apollo default: ~30 MiB by its size estimate),');
  out('  empty at start and so not in these numbers; it fills per variant with the operations clients send.');
  out();
  out(
    `Phases: database ready ${ms(databaseReadyMs / 1000)} s, bench organisation ${ms(arrangeMs / 1000)} s, ` +
      `platform ${ms(platformMs / 1000)} s, HTTP ${ms(httpMs / 1000)} s, fair use ${ms(fairUseMs / 1000)} s, variants ${ms(variantsMs / 1000)} s; ` +
      `total ${ms((performance.now() - started) / 1000)} s; heap ${mib(process.memoryUsage().heapUsed)}, rss ${mib(process.memoryUsage().rss)}`,
  );
}

let interrupted = false;
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`bench: ${signal}, cleaning up\n`);
    // embedded-postgres's own exit hook stops its clusters on this signal and then calls
    // process.exit, which would cut this cleanup short (a half-started cluster's data stays in
    // the temp folder): the process exits when the cleanup is done instead.
    const exit = process.exit.bind(process);
    (process as { exit: (code?: number) => void }).exit = () => undefined;
    void cleanUp().finally(() => exit(code));
  });
}

main()
  .then(
    () => cleanUp(),
    async (error) => {
      if (interrupted) return cleanUp();
      process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
      await cleanUp();
    },
  )
  .catch((error) => {
    process.stderr.write(`bench: ${String(error)}\n`);
    process.exitCode = 1;
  });
