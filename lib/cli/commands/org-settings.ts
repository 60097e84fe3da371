import { readOrganizationSettings, updateOrganizationSettings, type OrganizationSettings, type SettingsChange } from '@/lib/governance/organization-settings';
import { getEnv } from '@/lib/env';
import { inTransaction } from '@/lib/lifecycle/context';
import { UsageError, optionalString, orgOption, requiredString, type Command, type OptionValues } from '../command';
import { details } from '../format';
import { cliActor, getOrganizationOrThrow } from '../resolve';

/** `roster org settings show|update`: the organization settings of the console's /admin/settings. */
function shown(settings: OrganizationSettings, deployment: number) {
  return details([
    ['purge deprovisioned after', settings.purgeDeprovisionedAfterDays === undefined ? 'never' : `${settings.purgeDeprovisionedAfterDays} days`],
    ['session lifetime', settings.sessionMaxAgeSeconds === undefined ? `${deployment} s (the deployment's ROSTER_SESSION_MAX_AGE)` : `${settings.sessionMaxAgeSeconds} s`],
    ['seat price', settings.seatPricePerMonth === undefined ? 'none' : `${settings.seatPricePerMonth} a month`],
  ]);
}

const show: Command = {
  name: 'org settings show',
  summary: 'Show the organization settings (purge after, session lifetime, seat price)',
  usage: [['--org <slug>', 'the organization']],
  options: { ...orgOption },
  prepare(values) {
    const slug = requiredString(values, 'org');
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const settings = await readOrganizationSettings(db, org.id);
      return { data: settings, text: shown(settings, getEnv().ROSTER_SESSION_MAX_AGE) };
    };
  },
};

/** A number flag, or its word for "remove the setting"; absent: unchanged. */
function numberOrNone(values: OptionValues, name: string, none: string): number | null | undefined {
  const raw = optionalString(values, name);
  if (raw === undefined) return undefined;
  if (raw === none) return null;
  const n = Number(raw);
  if (raw.trim() === '' || Number.isNaN(n)) throw new UsageError(`--${name} must be a number or ${none}`);
  return n;
}

const update: Command = {
  name: 'org settings update',
  summary: 'Change organization settings (audited); other settings are kept',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--purge-after-days <n|never>', 'erase the personal data of deprovisioned accounts n days after deprovisioning (irreversible); never: keep it'],
    ['--session-max-age <seconds|default>', "session lifetime, 300 to the deployment's ROSTER_SESSION_MAX_AGE; sessions older than it end at their next request"],
    ['--seat-price <n|none>', 'price of a seat a month, for the seat report'],
  ],
  options: { ...orgOption, 'purge-after-days': { type: 'string' }, 'session-max-age': { type: 'string' }, 'seat-price': { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const changes: SettingsChange = {
      purgeDeprovisionedAfterDays: numberOrNone(values, 'purge-after-days', 'never'),
      sessionMaxAgeSeconds: numberOrNone(values, 'session-max-age', 'default'),
      seatPricePerMonth: numberOrNone(values, 'seat-price', 'none'),
    };
    if (Object.values(changes).every((v) => v === undefined)) throw new UsageError('give at least one of --purge-after-days, --session-max-age, --seat-price');
    return async ({ db }) => {
      const deployment = getEnv().ROSTER_SESSION_MAX_AGE;
      const result = await inTransaction(db, { actor: cliActor() }, async (tx, ctx) => {
        const org = await getOrganizationOrThrow(tx, slug);
        return updateOrganizationSettings(tx, { organizationId: org.id, changes, deploymentSessionMaxAge: deployment }, ctx);
      });
      const head = result.changed.length ? `Changed: ${result.changed.join(', ')}` : 'Nothing changed';
      return { data: result, text: `${head}\n${shown(result.settings, deployment)}` };
    };
  },
};

export const orgSettingsCommands = [show, update];
