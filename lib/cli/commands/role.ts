import { getRoleByKey, upsertRole } from '@/db/queries/roles';
import { AppError } from '@/lib/errors';
import { grantRole } from '@/lib/lifecycle/grant-role';
import { UsageError, optionalString, orgOption, requiredString, type Command, type OptionValues, type Runner } from '../command';
import { details } from '../format';
import { cliActor, getAccountIdOrThrow, getOrganizationOrThrow } from '../resolve';

const ADMIN_ROLE = { key: 'admin', name: 'Administrator', description: 'Manages the organization in Roster' };

function parseExpiry(values: OptionValues): Date | null {
  const raw = optionalString(values, 'expires');
  if (raw === undefined) return null;
  const at = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(at.getTime())) {
    throw new UsageError('--expires takes an ISO 8601 time such as 2027-01-01T00:00:00Z');
  }
  if (at.getTime() <= Date.now()) throw new UsageError('--expires must be in the future');
  return at;
}

/** A manual grant; `admin` is created on first use, any other role must exist already. */
function grant(values: OptionValues, roleKey: string): Runner {
  const slug = requiredString(values, 'org');
  const userName = requiredString(values, 'user');
  const expiresAt = parseExpiry(values);
  const reason = optionalString(values, 'reason');
  return async ({ db }) => {
    const result = await db.transaction(async (tx) => {
      const org = await getOrganizationOrThrow(tx, slug);
      const accountId = await getAccountIdOrThrow(tx, org, userName);
      if (roleKey === ADMIN_ROLE.key) await upsertRole(tx, { organizationId: org.id, ...ADMIN_ROLE });
      else if (!(await getRoleByKey(tx, org.id, roleKey))) throw new AppError('not_found', `no role ${roleKey} in organization ${slug}`);
      return { accountId, ...(await grantRole(tx, { organizationId: org.id, accountId, roleKey, expiresAt, reason }, cliActor())) };
    });
    return {
      data: { accountId: result.accountId, userName, role: result.role.key, granted: result.granted, expiresAt },
      text: result.granted
        ? `Granted ${result.role.key} to ${userName}\n${details([['expires', expiresAt ?? 'never']])}`
        : `${userName} already holds ${result.role.key} by a manual grant; nothing changed`,
    };
  };
}

const grantOptions = { ...orgOption, user: { type: 'string' }, expires: { type: 'string' }, reason: { type: 'string' } } as const;
const grantUsage: Command['usage'] = [
  ['--org <slug>', 'the organization'],
  ['--user <name>', 'the account user name (alice@acme.com)'],
  ['--expires <time>', 'ISO 8601; the grant lapses then (default: never)'],
  ['--reason <text>', 'recorded in the audit trail'],
];

const roleGrant: Command = {
  name: 'role grant',
  summary: 'Grant a role to an account by hand',
  usage: [['--role <key>', 'the role key; admin is created if missing'], ...grantUsage],
  options: { ...grantOptions, role: { type: 'string' } },
  prepare: (values) => grant(values, requiredString(values, 'role')),
};

const grantAdmin: Command = {
  name: 'grant-admin',
  summary: 'Make an account an administrator (role grant --role admin)',
  usage: grantUsage,
  options: grantOptions,
  prepare: (values) => grant(values, ADMIN_ROLE.key),
};

export const roleCommands = [roleGrant, grantAdmin];
