import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { appServerArgs, withPeerAddressHook } from '@/lib/cli/next-server';

export type RunningApp = { baseUrl: string; pid: number; stop: () => Promise<void> };

/** What the production build is made of: a file newer than .next/BUILD_ID makes the build stale. */
const SOURCES = ['app', 'lib', 'db', 'components', 'public', 'next.config.ts', 'package.json', 'postcss.config.mjs'];
const NOT_IN_BUILD = /(\.test\.ts|[/\\]lib[/\\](bench|testing)[/\\].*)$/;

function newestSource(root: string): { file: string; mtimeMs: number } | null {
  let newest: { file: string; mtimeMs: number } | null = null;
  const visit = (file: string) => {
    if (!existsSync(file) || NOT_IN_BUILD.test(file)) return;
    const stat = statSync(file);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(file)) visit(path.join(file, entry));
    } else if (!newest || stat.mtimeMs > newest.mtimeMs) {
      newest = { file, mtimeMs: stat.mtimeMs };
    }
  };
  for (const source of SOURCES) visit(path.join(root, source));
  return newest;
}

/**
 * The production build the bench serves: `.next` reused when no source is newer than its BUILD_ID,
 * else `next build` (as `npm run test:e2e` does). `noBuild`: take `.next` as it is (it must exist).
 */
export function ensureProductionBuild(root: string, options: { noBuild: boolean; log: (line: string) => void }): void {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (options.noBuild) {
    if (!existsSync(buildId)) throw new Error('--no-build: no production build in .next (run `npm run build`)');
    return;
  }
  const newest = newestSource(root);
  if (existsSync(buildId) && (!newest || newest.mtimeMs <= statSync(buildId).mtimeMs)) return;
  options.log(`  next build (${existsSync(buildId) ? `${path.relative(root, newest!.file)} is newer than the build` : 'no build yet'})`);
  const built = spawnSync(path.join(root, 'node_modules', '.bin', 'next'), ['build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (built.status !== 0) throw new Error(`next build failed (exit ${built.status ?? built.signal})`);
}

/** A port free on 127.0.0.1 now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The production server (server.ts: SCIM served directly, the rest by Next.js from the build) on
 * 127.0.0.1 and a free port, against `databaseUrl`, as `npm start` runs it (lib/cli/next-server.ts:
 * NODE_ENV=production, the peer-address hook, a process group of its own so stopping it stops the
 * workers next forks), with fresh secrets and no job workers (the launcher runs those).
 * `nextStart`: plain `next start` instead (SCIM through the Next route), to compare. `nodeOptions`,
 * `env`: e.g. a profiling hook.
 * Resolves once /api/health answers 200; `stop()` ends the group (SIGTERM, SIGKILL after 10 s),
 * and so does this process's exit.
 */
export async function startNextApp(options: { root: string; databaseUrl: string; nodeOptions?: string; env?: Record<string, string>; timeoutMs?: number; nextStart?: boolean }): Promise<RunningApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = withPeerAddressHook(
    {
      ...process.env,
      NODE_OPTIONS: [process.env.NODE_OPTIONS, options.nodeOptions].filter(Boolean).join(' '),
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: options.databaseUrl,
      NEXTAUTH_URL: baseUrl,
      NEXTAUTH_SECRET: randomBytes(48).toString('base64'),
      ROSTER_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ROSTER_DEMO: '0',
      PORT: String(port),
      ...options.env,
    },
    options.root,
  );
  const child = spawn(process.execPath, options.nextStart ? [path.join(options.root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-H', '127.0.0.1', '-p', String(port)] : appServerArgs(options.root, '127.0.0.1', port, env), { cwd: options.root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  const stop = async () => {
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    killGroup('SIGKILL');
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`next start exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    }
    const ok = await fetch(`${baseUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { baseUrl, pid: child.pid!, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`next start did not become healthy within ${options.timeoutMs ?? 60_000} ms:\n${output}`);
}
