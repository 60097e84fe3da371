import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '@/db/client';
import type { EmbeddedDatabase } from '@/db/embedded';
import { startPrivatePostgres, waitFor, type PrivatePostgres } from '@/lib/testing/private-postgres';
import { watchEmbeddedPostgres, type Watchdog } from './postgres-watchdog';

/** The launcher's watchdog (lib/cli/dev.ts) on a real embedded PostgreSQL of this test's own. */
let pg: PrivatePostgres;
let watchdog: Watchdog | undefined;
const logs: string[] = [];

beforeAll(async () => {
  pg = await startPrivatePostgres();
});
afterAll(async () => {
  await (watchdog ? watchdog.stop() : pg.first.stop());
  pg.remove();
});

async function answers(server: EmbeddedDatabase): Promise<boolean> {
  const sql = openPostgres(server.url('postgres'), { max: 1, connect_timeout: 1, onnotice: () => undefined });
  try {
    await sql`select 1`;
    return true;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

describe('the embedded PostgreSQL watchdog', () => {
  it('notices a killed postmaster, says so, and has the server answering again within 10 s', async () => {
    const first = pg.first;
    expect(first.pid).toEqual(expect.any(Number));
    watchdog = watchEmbeddedPostgres(first, { start: pg.start, log: (line) => logs.push(line), intervalMs: 250, retryMs: 250 });
    process.kill(first.pid!, 'SIGKILL');
    const back = await waitFor(async () => watchdog!.current() !== first && (await answers(watchdog!.current())), 10_000, 100);
    expect(back).toBeLessThan(10_000);
    expect(first.alive()).toBe(false);
    expect(watchdog.current().pid).not.toBe(first.pid);
    expect(logs[0]).toContain(`embedded PostgreSQL (pid ${first.pid}) has stopped; restarting it`);
    expect(logs.at(-1)).toContain('embedded PostgreSQL is running again');
  });
});
