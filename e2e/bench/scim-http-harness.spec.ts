import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createDatabase } from '../../db';
import { scimHttpCase } from '../../lib/bench/cases/scim-http';
import { startLoadGenerator } from '../../lib/bench/http/load';
import { startNextApp } from '../../lib/bench/http/next-app';
import { get } from '../../lib/bench/http/scim-requests';

/**
 * The HTTP bench's harness (lib/bench/http), not its speed, here in the e2e run because it needs the
 * production build that `npm run test:e2e` has just made: it starts the production server (server.ts) on a
 * free port against the test database, drives it from the load generator's process, and stops it
 * (also when a run fails); and the scim-http case measures a tiny run end to end. No figure is
 * checked: timings belong to `npm run bench`.
 */
const root = path.resolve(import.meta.dirname, '../..');
const url = process.env.E2E_DATABASE_URL!;
const answers = (baseUrl: string) =>
  fetch(`${baseUrl}/api/health`).then(
    () => true,
    () => false,
  );

test.describe('scim-http bench harness', () => {
  let load: ReturnType<typeof startLoadGenerator>;
  test.beforeAll(() => {
    expect(existsSync(path.join(root, '.next', 'BUILD_ID'))).toBe(true);
    load = startLoadGenerator();
  });
  test.afterAll(() => load?.stop());

  test('starts the production server, serves the load generator, and stops it, also after a failed run', async () => {
    test.setTimeout(120_000);
    const app = await startNextApp({ root, databaseUrl: url });
    try {
      expect(await answers(app.baseUrl)).toBe(true);
      const sample = await load.run({ baseUrl: app.baseUrl, concurrency: 2, expect: 401, requests: Array.from({ length: 6 }, () => get('/api/scim/v2/Users')) });
      expect(sample.latenciesMs).toHaveLength(6);
      // Without a token every request is a 401: expecting 200 fails the run with the server's answer.
      await expect(load.run({ baseUrl: app.baseUrl, concurrency: 1, expect: 200, requests: [get('/api/scim/v2/Users')] })).rejects.toThrow(/expected 200, got 401/);
    } finally {
      await app.stop();
    }
    expect(await answers(app.baseUrl)).toBe(false);
    expect(() => process.kill(app.pid, 0)).toThrow();
  });

  test('measures a tiny run of every scenario, in process beside HTTP, with the ceilings', async () => {
    test.setTimeout(240_000);
    const logged: string[] = [];
    const results = await scimHttpCase.run({
      options: { count: 4, warmup: 1, concurrencies: [1], scimHttpSizes: [1000], noBuild: true },
      connect: (max) => {
        const handle = createDatabase(url, { max });
        return { db: handle.db, close: () => handle.sql.end({ timeout: 5 }) };
      },
      log: (line) => logged.push(line),
      url,
      postgresPid: null,
    });
    const scenarios = results.map((r) => r.scenario);
    expect(scenarios).toEqual([
      'Node HTTP floor (bare node:http)',
      'Node HTTP floor (bare node:http)',
      'raw insert (ceiling) (1k)',
      'POST /Users (1k)',
      'raw update (ceiling) (1k)',
      'PATCH active=false (Okta) (1k)',
      'raw update (ceiling, Entra rounds) (1k)',
      'PATCH multi-op replace (Entra) (1k)',
      'GET filter userName eq (1k)',
      'GET list page of 100 (1k)',
    ]);
    for (const r of results) expect(r.count).toBeGreaterThan(0);
    for (const r of results.filter((x) => /^(POST|PATCH|GET)/.test(x.scenario))) expect(r.inProcess?.count).toBe(4);
    for (const r of results.filter((x) => /^(POST|PATCH)/.test(x.scenario))) expect(r.ofCeilingPct).toBeGreaterThan(0);
    // Reads: each percentile the median of its rounds, with the pooled tail and each round's p99 beside it.
    for (const r of results.filter((x) => x.scenario.startsWith('GET'))) {
      expect(r).toMatchObject({ rounds: 5, pooled: { p95Ms: expect.any(Number), p99Ms: expect.any(Number) } });
      expect(r.roundsP99Ms).toHaveLength(5);
      expect(r.p99Ms).toBe([...r.roundsP99Ms!].sort((a, b) => a - b)[2]);
    }
    // CPU per request of the server and the load generator, read from /proc (the database's too, when the bench knows its pid).
    for (const r of results.filter((x) => /^(POST|PATCH|GET)/.test(x.scenario))) {
      expect(r.cpuMsPerRequest).toMatchObject({ serverMs: expect.any(Number), loadGeneratorMs: expect.any(Number), postgresMs: null });
    }
    const started = logged.find((line) => line.includes('server.ts (SCIM served directly) on'))!.match(/on (http:\/\/\S+)/)![1]!;
    expect(await answers(started)).toBe(false);
  });
});
