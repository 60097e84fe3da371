import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type NextServer = {
  /** Resolves with the exit code (128 + signal number when killed by a signal). */
  exited: Promise<number>;
  /** SIGTERM to next and its workers, SIGKILL if they are still up after the grace period. */
  stop(signal?: NodeJS.Signals): Promise<number>;
};

const STOP_GRACE_MS = 10_000;

export function assertProductionBuild(root: string): void {
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error('No production build found. Run `npm run build` before `npm start`.');
  }
}

/**
 * The environment for a Next.js server process with lib/http/peer-address-hook.mjs preloaded, so
 * that route handlers know each request's socket peer (lib/http/client-ip.ts).
 */
export function withPeerAddressHook(env: NodeJS.ProcessEnv, root: string): NodeJS.ProcessEnv {
  const hook = `--import=${pathToFileURL(path.join(root, 'lib', 'http', 'peer-address-hook.mjs')).href}`;
  return { ...env, NODE_OPTIONS: [env.NODE_OPTIONS, hook].filter(Boolean).join(' ') };
}

/**
 * The production server's command line (after `node`): server.ts at the project root under tsx,
 * which serves /api/scim/v2 itself and everything else through Next.js (lib/http/app-server.ts).
 * `npm start`, the e2e suite and the HTTP benchmark all start the app this way.
 *
 * With a young generation of SEMI_SPACE_MB semi-spaces (Node 20's default is 16 MB): V8 collects
 * it a quarter as often, and a request that meets a collection waits for it. Measured with SCIM
 * `userName eq` lookups at c1 over HTTP (100k users, 12 rounds of 2,000 each way): p99 median
 * 2.67 ms against 3.13 ms with the default (32 MB: 3.1 ms). It costs up to about 150 MB more of
 * memory. Set --max-semi-space-size in NODE_OPTIONS to choose another size: then none is added.
 */
export const SEMI_SPACE_MB = 64;

export function appServerArgs(root: string, host: string, port: number, env: Record<string, string | undefined> = process.env): string[] {
  const semiSpace = /--max-semi-space-size\b/.test(env['NODE_OPTIONS'] ?? '') ? [] : [`--max-semi-space-size=${SEMI_SPACE_MB}`];
  return [...semiSpace, '--import', 'tsx', path.join(root, 'server.ts'), '-H', host, '-p', String(port)];
}

/** `next dev`, or the production server, in its own process group, so stopping it also stops the workers it forks. */
export function startNext(options: { root: string; command: 'dev' | 'start'; host: string; port: number; env: NodeJS.ProcessEnv }): NextServer {
  const [bin, args] =
    options.command === 'dev'
      ? [path.join(options.root, 'node_modules', '.bin', 'next'), ['dev', '-H', options.host, '-p', String(options.port)]]
      : [process.execPath, appServerArgs(options.root, options.host, options.port, options.env)];
  const child = spawn(bin, args, {
    cwd: options.root,
    env: withPeerAddressHook(options.env, options.root),
    stdio: 'inherit',
    detached: true,
  });
  const exited = new Promise<number>((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`Could not start next: ${error.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  // Last resort if this process dies with next still running (an uncaught error, process.exit).
  process.once('exit', () => killGroup('SIGKILL'));

  return {
    exited,
    async stop(signal = 'SIGTERM') {
      killGroup(signal);
      const timer = setTimeout(() => killGroup('SIGKILL'), STOP_GRACE_MS);
      const code = await exited;
      clearTimeout(timer);
      // next exits before some of its workers; clear the group.
      killGroup('SIGKILL');
      return code;
    },
  };
}
