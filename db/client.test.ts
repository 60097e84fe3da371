import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { resetEnvCache } from '@/lib/env';
import { openPostgres, splitSocketHost } from './client';
import { createDatabase, defaultPoolSize } from './index';

describe('pool size', () => {
  it('is twice the cores plus one, at most 10, unless ROSTER_DB_POOL_SIZE says (and an explicit max wins)', async () => {
    expect([1, 2, 4, 5, 64].map((cores) => defaultPoolSize(cores))).toEqual([3, 5, 9, 10, 10]);
    const url = process.env.DATABASE_URL ?? 'postgres://localhost/none';
    const max = (options?: { max?: number }) => {
      const handle = createDatabase(url, options);
      void handle.sql.end({ timeout: 0 });
      return (handle.sql.options as { max: number }).max;
    };
    const before = process.env.ROSTER_DB_POOL_SIZE;
    try {
      delete process.env.ROSTER_DB_POOL_SIZE;
      resetEnvCache();
      expect(max()).toBe(defaultPoolSize());
      process.env.ROSTER_DB_POOL_SIZE = '17';
      resetEnvCache();
      expect(max()).toBe(17);
      expect(max({ max: 2 })).toBe(2);
    } finally {
      if (before === undefined) delete process.env.ROSTER_DB_POOL_SIZE;
      else process.env.ROSTER_DB_POOL_SIZE = before;
      resetEnvCache();
    }
  });
});

describe('splitSocketHost (libpq host=<socket dir>)', () => {
  it.each<[string, string, string | null]>([
    ['postgres://u:p@127.0.0.1:5432/roster', 'postgres://u:p@127.0.0.1:5432/roster', null],
    ['postgres://u:p@127.0.0.1:5432/roster?host=/tmp', 'postgres://u:p@127.0.0.1:5432/roster', '/tmp'],
    ['postgres://u:p@localhost/roster?sslmode=disable&host=%2Fvar%2Frun%2Fpostgresql', 'postgres://u:p@localhost/roster?sslmode=disable', '/var/run/postgresql'],
    ['postgres://u:p@localhost/roster?host=db.internal', 'postgres://u:p@localhost/roster?host=db.internal', null],
    ['postgres://u:p@localhost/roster?application_name=roster', 'postgres://u:p@localhost/roster?application_name=roster', null],
  ])('%s', (input, url, socketDirectory) => {
    expect(splitSocketHost(input)).toEqual({ url, socketDirectory });
  });
});

// The suite's server is the embedded one unless DATABASE_URL was given (then this URL has no socket).
const overSocket = splitSocketHost(process.env.DATABASE_URL ?? '').socketDirectory !== null;

describe.runIf(overSocket)('a socket URL (the embedded server)', () => {
  afterAll(closeTestDb);

  it('is reached over the Unix socket (no server address), and over TCP without host=', async () => {
    const url = process.env.DATABASE_URL!;
    const [row] = await testDb().execute<{ addr: string | null }>(sql`select inet_server_addr()::text as addr`);
    expect(row!.addr).toBeNull();
    const tcp = openPostgres(splitSocketHost(url).url, { max: 1 });
    try {
      const [over] = await tcp<{ addr: string }[]>`select inet_server_addr()::text as addr`;
      expect(over!.addr).toBe('127.0.0.1/32');
    } finally {
      await tcp.end({ timeout: 5 });
    }
  });
});
