import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadGenerator, LoadRequest } from './load';
import { startNextApp } from './next-app';
import { summarizeProfile, type ProfileSummary } from './profile-summary';

export type ProfiledScenario = { name: string; concurrency: number; warmup: LoadRequest[]; requests: LoadRequest[] };

const waitFor = async (check: () => boolean, what: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`profile: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/**
 * A CPU profile of `next start` serving exactly the measured requests of one scenario: a server of
 * its own with lib/bench/http/profile-hook.mjs preloaded, warmed up unprofiled, then SIGUSR2 (start
 * profiling), the requests, SIGUSR2 (stop, write DIR/<scenario>/<pid>-0.cpuprofile). Resolves with
 * the file and its summary by layer.
 */
export async function profileScenario(options: {
  root: string;
  databaseUrl: string;
  dir: string;
  load: LoadGenerator;
  headers: Record<string, string>;
  scenario: ProfiledScenario;
  expect: number;
  nextStart?: boolean;
}): Promise<{ file: string; summary: ProfileSummary }> {
  const { scenario } = options;
  const dir = path.resolve(options.dir, scenario.name);
  mkdirSync(dir, { recursive: true });
  const hook = pathToFileURL(path.join(import.meta.dirname, 'profile-hook.mjs')).href;
  const app = await startNextApp({ root: options.root, databaseUrl: options.databaseUrl, nodeOptions: `--import=${hook}`, env: { ROSTER_BENCH_PROFILE_DIR: dir }, nextStart: options.nextStart });
  try {
    const run = (requests: LoadRequest[]) =>
      options.load.run({ baseUrl: app.baseUrl, concurrency: scenario.concurrency, headers: options.headers, expect: options.expect, requests: requests.map((r) => ({ ...r, path: `/api/scim/v2${r.path}` })) });
    await run(scenario.warmup);
    const started = path.join(dir, `${app.pid}.started`);
    const profileFile = path.join(dir, `${app.pid}-0.cpuprofile`);
    process.kill(app.pid, 'SIGUSR2');
    await waitFor(() => existsSync(started), 'the profiler start');
    await run(scenario.requests);
    process.kill(app.pid, 'SIGUSR2');
    await waitFor(() => existsSync(profileFile), 'the profile');
    return { file: profileFile, summary: summarizeProfile(profileFile, scenario.requests.length) };
  } finally {
    await app.stop();
  }
}
