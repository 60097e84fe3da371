import { parseArgs } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getOrganizationSettings } from '@/db/queries/organizations';
import { getEnv } from '@/lib/env';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { UsageError, commonOptions, type Command, type OptionValues } from '../command';
import { orgSettingsCommands } from './org-settings';

const db = testDb();
afterAll(closeTestDb);

async function run(name: string, args: string[]) {
  const command = orgSettingsCommands.find((c) => c.name === name) as Command;
  const { values } = parseArgs({ args, options: { ...commonOptions, ...command.options }, strict: true, allowPositionals: false });
  return command.prepare(values as OptionValues, [])({ db, url: '' });
}

describe('roster org settings', () => {
  it('updates and shows the settings, audited; never/default/none remove them', async () => {
    const { org } = await makeOrganization(db);
    const set = await run('org settings update', ['--org', org.slug, '--purge-after-days', '30', '--session-max-age', '600', '--seat-price', '4.5']);
    expect(set.data).toEqual({ settings: { purgeDeprovisionedAfterDays: 30, sessionMaxAgeSeconds: 600, seatPricePerMonth: 4.5 }, changed: ['purgeDeprovisionedAfterDays', 'seatPricePerMonth', 'sessionMaxAgeSeconds'] });
    expect((await run('org settings show', ['--org', org.slug])).text).toContain('30 days');
    await run('org settings update', ['--org', org.slug, '--purge-after-days', 'never', '--session-max-age', 'default']);
    expect(await getOrganizationSettings(db, org.id)).toEqual({ seatPricePerMonth: 4.5 });
    const shown = await run('org settings show', ['--org', org.slug]);
    expect(shown.text).toContain('never');
    expect(shown.text).toContain(`${getEnv().ROSTER_SESSION_MAX_AGE} s (the deployment's ROSTER_SESSION_MAX_AGE)`);
    const events = await findAuditEvents(db, org.id, { actions: ['organization.settings_changed'] });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ actorType: 'cli', before: { purgeDeprovisionedAfterDays: 30, sessionMaxAgeSeconds: 600 }, after: { purgeDeprovisionedAfterDays: null, sessionMaxAgeSeconds: null } });
  });

  it('refuses bad values (usage, or the rule) and changes nothing', async () => {
    const { org } = await makeOrganization(db);
    await expect(run('org settings update', ['--org', org.slug, '--purge-after-days', 'soon'])).rejects.toBeInstanceOf(UsageError);
    await expect(run('org settings update', ['--org', org.slug])).rejects.toBeInstanceOf(UsageError);
    await expect(run('org settings update', ['--org', org.slug, '--session-max-age', '60'])).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('at least 5 minutes') });
    expect(await getOrganizationSettings(db, org.id)).toEqual({});
  });
});
