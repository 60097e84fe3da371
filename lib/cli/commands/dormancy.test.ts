import { parseArgs } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { getAccountById } from '@/db/queries/accounts';
import { findAuditEvents } from '@/db/queries/audit-events';
import { upsertRole } from '@/db/queries/roles';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { UsageError, commonOptions, type Command, type OptionValues } from '../command';
import { dormancyCommands } from './dormancy';
import { seatsCommands } from './seats';

const db = testDb();
afterAll(closeTestDb);

/** A command as main.ts runs it (parse, prepare, run), in process. */
async function run(name: string, args: string[]) {
  const command = [...dormancyCommands, ...seatsCommands].find((c) => c.name === name) as Command;
  const { values } = parseArgs({ args, options: { ...commonOptions, ...command.options }, strict: true, allowPositionals: false });
  return command.prepare(values as OptionValues, [])({ db, url: '' });
}

const days = ['--dormant-after', '60', '--suspend-after', '90', '--deprovision-after', '30', '--never-signed-in-after', '45'];

describe('roster dormancy', () => {
  it('sets and shows the policy, audited with before and after', async () => {
    const { org } = await makeOrganization(db);
    await upsertRole(db, { organizationId: org.id, key: 'break-glass', name: 'Break glass' });
    expect((await run('dormancy policy show', ['--org', org.slug])).data).toBeNull();
    const set = await run('dormancy policy set', ['--org', org.slug, ...days, '--warn-before', '7', '--exempt-role', 'break-glass', '--max-share', '5', '--max-count', '100']);
    expect(set.data).toMatchObject({ dormantAfterDays: 60, suspendAfterDays: 90, warnBeforeDays: 7, exemptRoleKeys: ['break-glass'], maxSharePercent: 5, maxCount: 100 });
    const shown = await run('dormancy policy show', ['--org', org.slug]);
    expect(shown.text).toContain('7 days before suspension');
    await run('dormancy policy set', ['--org', org.slug, ...days]);
    const events = await findAuditEvents(db, org.id, { actions: ['dormancy.policy_changed'] });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ before: { warnBeforeDays: 7, maxSharePercent: 5 }, after: { warnBeforeDays: null, maxSharePercent: 10, exemptRoleKeys: [] } });
  });

  it.each<[string[], RegExp]>([
    [['--dormant-after', '60', '--suspend-after', '90', '--deprovision-after', '30'], /--never-signed-in-after is required/],
    [[...days.slice(0, 1), 'sixty', ...days.slice(2)], /--dormant-after takes a whole number/],
    [[...days.slice(0, 3), '30', ...days.slice(4)], /suspend-after \(30\) must be at least dormant-after \(60\)/],
    [[...days, '--warn-before', '90'], /warn-before \(90\) must be less than suspend-after/],
    [[...days, '--warn-before', '0'], /warn-before must be a whole number of days from 1/],
    [[...days, '--max-share', '0'], /max-share must be a whole percentage/],
    [[...days, '--exempt-role', 'nope'], /exempt-role nope: no such role/],
  ])('refuses bad input clearly (%j) and writes nothing', async (args, message) => {
    const { org } = await makeOrganization(db);
    const attempt = run('dormancy policy set', ['--org', org.slug, ...args]);
    await expect(attempt).rejects.toThrow(message);
    await attempt.catch((e: unknown) => expect(e instanceof UsageError || (e as { code?: string }).code === 'invalid_input').toBe(true));
    expect((await run('dormancy policy show', ['--org', org.slug])).data).toBeNull();
  });

  it('exempts an account and lifts the exemption, audited', async () => {
    const { org } = await makeOrganization(db);
    const account = await makeAccount(db, org.id);
    expect((await run('account dormancy-exempt', ['--org', org.slug, '--user', account.userName, '--reason', 'break-glass'])).data).toMatchObject({ dormancyExempt: true, changed: true });
    expect((await getAccountById(db, org.id, account.id))!.dormancyExempt).toBe(true);
    expect((await run('account dormancy-exempt', ['--org', org.slug, '--user', account.userName])).data).toMatchObject({ changed: false });
    await run('account dormancy-exempt', ['--org', org.slug, '--user', account.userName, '--off']);
    expect((await getAccountById(db, org.id, account.id))!.dormancyExempt).toBe(false);
    expect(await findAuditEvents(db, org.id, { actions: ['dormancy.exempt_changed'], targetId: account.id })).toHaveLength(2);
  });

  it('roster seats prints the report (and --json its data)', async () => {
    const { org } = await makeOrganization(db);
    await makeAccount(db, org.id);
    const out = await run('seats', ['--org', org.slug]);
    expect(out.data).toMatchObject({ total: { active: 1, neverSignedIn: 1 }, pricePerSeatMonthly: null });
    expect(out.text).toMatch(/active seats:\s+1/);
    expect(out.text).toContain('By connection:');
  });
});
