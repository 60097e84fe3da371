import { getRoleByKey, upsertRole } from '@/db/queries/roles';
import { AppError } from '@/lib/errors';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { revokeRole } from '@/lib/lifecycle/access/revoke-role';
import { inTransaction } from '@/lib/lifecycle/context';
import { durationFormat, instantFormat, parseDuration, parseInstant } from '@/lib/policy/parse-time';
import { UsageError, optionalString, orgOption, requiredString, type Command, type OptionValues, type Runner } from '../command';
import { details } from '../format';
import { cliActor, getAccountIdOrThrow, getOrganizationOrThrow } from '../resolve';

const ADMIN_ROLE = { key: 'admin', name: 'Administrator', description: 'Manages the organization in Roster' };

/**
 * When a grant ends: `--expires-in 8h` (from now), `--until DATE`, or `--expires DATE` (the older
 * name of --until). At most one of them; never in the past. None: the grant does not end.
 */
export function parseGrantEnd(values: OptionValues, now = new Date()): Date | null {
  const given = (['expires-in', 'until', 'expires'] as const).filter((name) => optionalString(values, name) !== undefined);
  if (given.length > 1) throw new UsageError(`give one of --expires-in, --until (or --expires), not ${given.map((g) => `--${g}`).join(' and ')}`);
  const [name] = given;
  if (!name) return null;
  const raw = optionalString(values, name)!;
  if (name === 'expires-in') {
    const ms = parseDuration(raw);
    if (ms === null) throw new UsageError(`--expires-in ${raw}: takes ${durationFormat}`);
    return new Date(now.getTime() + ms);
  }
  const at = parseInstant(raw);
  if (!at) throw new UsageError(`--${name} ${raw}: takes ${instantFormat}`);
  if (at.getTime() <= now.getTime()) throw new UsageError(`--${name} ${raw} is not in the future`);
  return at;
}

/** A manual grant; `admin` is created on first use, any other role must exist already. */
function grant(values: OptionValues, roleKey: string): Runner {
  const slug = requiredString(values, 'org');
  const userName = requiredString(values, 'user');
  const expiresAt = parseGrantEnd(values);
  const reason = optionalString(values, 'reason');
  return async ({ db }) => {
    const result = await inTransaction(db, { actor: cliActor() }, async (tx, ctx) => {
      const org = await getOrganizationOrThrow(tx, slug);
      const accountId = await getAccountIdOrThrow(tx, org, userName);
      if (roleKey === ADMIN_ROLE.key) await upsertRole(tx, { organizationId: org.id, ...ADMIN_ROLE });
      else if (!(await getRoleByKey(tx, org.id, roleKey))) throw new AppError('not_found', `no role ${roleKey} in organization ${slug}`);
      return { accountId, ...(await grantRole(tx, { organizationId: org.id, accountId, roleKey, expiresAt, reason }, ctx)) };
    });
    const changed = result.granted || result.extended;
    return {
      data: { accountId: result.accountId, userName, role: result.role.key, granted: changed, expiresAt },
      text: changed
        ? `${result.granted ? 'Granted' : 'Moved the expiry of'} ${result.role.key} ${result.granted ? 'to' : 'for'} ${userName}\n${details([['expires', expiresAt ?? 'never']])}`
        : `${userName} already holds ${result.role.key} by a manual grant; nothing changed`,
    };
  };
}

const grantOptions = { ...orgOption, user: { type: 'string' }, 'expires-in': { type: 'string' }, until: { type: 'string' }, expires: { type: 'string' }, reason: { type: 'string' } } as const;
const grantUsage: Command['usage'] = [
  ['--org <slug>', 'the organization'],
  ['--user <name>', 'the account user name (alice@acme.com)'],
  ['--expires-in <duration>', 'the grant ends after 30m, 8h, 7d, 2w… (default: never)'],
  ['--until <date>', 'the grant ends then: 2027-03-31 (00:00 UTC that day) or 2027-03-31T17:00:00Z'],
  ['--expires <date>', 'the same as --until'],
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

const roleRevoke: Command = {
  name: 'role revoke',
  summary: "Revoke an administrator's grant of a role (roles from rules or groups stay: change those instead)",
  usage: [
    ['--org <slug>', 'the organization'],
    ['--user <name>', 'the account user name (alice@acme.com)'],
    ['--role <key>', 'the role key'],
    ['--reason <text>', 'recorded in the audit trail'],
  ],
  options: { ...orgOption, user: { type: 'string' }, role: { type: 'string' }, reason: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const userName = requiredString(values, 'user');
    const roleKey = requiredString(values, 'role');
    const reason = optionalString(values, 'reason');
    return async ({ db }) => {
      const result = await inTransaction(db, { actor: cliActor() }, async (tx, ctx) => {
        const org = await getOrganizationOrThrow(tx, slug);
        const accountId = await getAccountIdOrThrow(tx, org, userName);
        return { accountId, ...(await revokeRole(tx, { organizationId: org.id, accountId, roleKey, reason }, ctx)) };
      });
      const still = result.remaining.map((r) => `${r.source} (${r.sourceRef})`).join(', ');
      return {
        data: { accountId: result.accountId, userName, role: result.role.key, revoked: result.revoked, remaining: result.remaining },
        text: `Revoked the manual grant of ${result.role.key} from ${userName}${still ? `\nstill held through ${still}` : ''}`,
      };
    };
  },
};

export const roleCommands = [roleGrant, roleRevoke, grantAdmin];
