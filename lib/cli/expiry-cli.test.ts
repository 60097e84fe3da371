import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getAccountById } from '@/db/queries/accounts';
import { findAccountRoles, upsertRole } from '@/db/queries/roles';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { UsageError, type Command, type OptionValues } from './command';
import { accountCommands, parseEndDate } from './commands/account';
import { parseGrantEnd, roleCommands } from './commands/role';

const db = testDb();
afterAll(closeTestDb);
const NOW = new Date('2030-06-01T12:00:00.000Z');
const HOUR = 3_600_000;

describe('role grant: when the grant ends', () => {
  it.each<[OptionValues, string | null]>([
    [{}, null],
    [{ 'expires-in': '8h' }, '2030-06-01T20:00:00.000Z'],
    [{ 'expires-in': '30m' }, '2030-06-01T12:30:00.000Z'],
    [{ 'expires-in': '7d' }, '2030-06-08T12:00:00.000Z'],
    [{ 'expires-in': '2w' }, '2030-06-15T12:00:00.000Z'],
    [{ until: '2030-07-01' }, '2030-07-01T00:00:00.000Z'],
    [{ until: '2030-07-01T09:30:00+02:00' }, '2030-07-01T07:30:00.000Z'],
    [{ expires: '2030-07-01T00:00:00Z' }, '2030-07-01T00:00:00.000Z'],
  ])('%j ends at %s', (values, iso) => expect(parseGrantEnd(values, NOW)?.toISOString() ?? null).toBe(iso));

  it.each<[OptionValues, RegExp]>([
    [{ 'expires-in': '8' }, /--expires-in 8: takes a whole number and a unit: 30m, 8h, 7d or 2w/],
    [{ 'expires-in': '1.5h' }, /--expires-in 1.5h: takes/],
    [{ 'expires-in': '0m' }, /--expires-in 0m: takes/],
    [{ 'expires-in': 'tomorrow' }, /--expires-in tomorrow: takes/],
    [{ until: '01/07/2030' }, /--until 01\/07\/2030: takes an ISO 8601 date or time/],
    [{ until: '2030-02-30' }, /--until 2030-02-30: takes/],
    [{ until: '2030-07-01T09:30' }, /--until 2030-07-01T09:30: takes/],
    [{ until: '2030-06-01T12:00:00Z' }, /--until 2030-06-01T12:00:00Z is not in the future/],
    [{ expires: '2020-01-01' }, /--expires 2020-01-01 is not in the future/],
    [{ 'expires-in': '8h', until: '2030-07-01' }, /give one of --expires-in, --until \(or --expires\), not --expires-in and --until/],
    [{ until: '2030-07-01', expires: '2030-07-01' }, /not --until and --expires/],
  ])('refuses %j', (values, message) => {
    expect(() => parseGrantEnd(values, NOW)).toThrow(UsageError);
    expect(() => parseGrantEnd(values, NOW)).toThrow(message);
  });
});

describe('account end-date: --on or --clear', () => {
  it('reads --on as a future instant, --clear as none', () => {
    expect(parseEndDate({ on: '2030-12-31' }, NOW)).toEqual(new Date('2030-12-31T00:00:00Z'));
    expect(parseEndDate({ clear: true }, NOW)).toBeNull();
  });
  it.each<[OptionValues, RegExp]>([
    [{}, /--on DATE \(or --clear\) is required/],
    [{ on: '2030-12-31', clear: true }, /not both/],
    [{ on: 'soon' }, /--on soon: takes an ISO 8601 date or time/],
    [{ on: '2030-01-01' }, /is not in the future \(to end the account now, use account suspend\)/],
  ])('refuses %j', (values, message) => expect(() => parseEndDate(values, NOW)).toThrow(message));
});

/** A command run in this process against the test database, as main.ts runs it (prepare, then the runner). */
async function run(commands: Command[], name: string, values: OptionValues) {
  const command = commands.find((c) => c.name === name)!;
  return (await command.prepare(values, [])({ db, url: '' })) as { data: Record<string, unknown>; text: string };
}

describe('the commands', () => {
  it('grants until a time, moves the end with --expires-in, and revokes', async () => {
    const { org } = await makeOrganization(db);
    await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
    const account = await makeAccount(db, org.id);
    const base = { org: org.slug, user: account.userName, role: 'auditor' };
    const until = new Date(Date.now() + 48 * HOUR).toISOString();
    expect((await run(roleCommands, 'role grant', { ...base, until })).data).toMatchObject({ granted: true, expiresAt: new Date(until) });
    const moved = await run(roleCommands, 'role grant', { ...base, 'expires-in': '8h' });
    expect(moved.text).toMatch(/^Moved the expiry of auditor for/);
    const [held] = await findAccountRoles(db, org.id, account.id);
    expect(Math.abs(held!.expiresAt!.getTime() - (Date.now() + 8 * HOUR))).toBeLessThan(60_000);
    expect((await run(roleCommands, 'role revoke', base)).data).toMatchObject({ revoked: true, remaining: [] });
    expect(await findAccountRoles(db, org.id, account.id)).toEqual([]);
  });

  it('sets and clears an end date', async () => {
    const { org } = await makeOrganization(db);
    const account = await makeAccount(db, org.id);
    const base = { org: org.slug, user: account.userName };
    expect((await run(accountCommands, 'account end-date', { ...base, on: '2099-03-31' })).data).toMatchObject({ endsAt: '2099-03-31T00:00:00.000Z', changed: true });
    expect(await getAccountById(db, org.id, account.id)).toMatchObject({ endsAt: new Date('2099-03-31T00:00:00Z') });
    expect((await run(accountCommands, 'account end-date', { ...base, on: '2099-03-31' })).text).toMatch(/nothing changed/);
    expect((await run(accountCommands, 'account end-date', { ...base, clear: true })).data).toMatchObject({ endsAt: null, changed: true });
    expect(await getAccountById(db, org.id, account.id)).toMatchObject({ endsAt: null });
  });
});

describe('the real CLI', { timeout: 120_000 }, () => {
  const launcher = path.join(import.meta.dirname, 'roster.mjs');
  const roster = (args: string[]) =>
    new Promise<{ code: number; stderr: string; stdout: string }>((resolve) => {
      execFile(process.execPath, [launcher, ...args], { env: { ...process.env }, timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
    });

  it('exits 2 with the usage on a bad duration, before touching the database', async () => {
    const result = await roster(['role', 'grant', '--org', `nope-${randomUUID().slice(0, 6)}`, '--user', 'a@b.c', '--role', 'admin', '--expires-in', '3 days']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/--expires-in 3 days: takes a whole number and a unit/);
  });

  it('prints the end date as JSON', async () => {
    const { org } = await makeOrganization(db);
    const account = await makeAccount(db, org.id);
    const result = await roster(['account', 'end-date', '--org', org.slug, '--user', account.userName, '--on', '2099-01-02T03:04:05Z', '--json']);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(result.stdout)).toEqual({ accountId: account.id, userName: account.userName, endsAt: '2099-01-02T03:04:05.000Z', changed: true });
  });
});
