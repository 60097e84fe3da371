import { restoreAccount, suspendAccount } from '@/lib/lifecycle/account/set-account-status';
import { inTransaction } from '@/lib/lifecycle/context';
import { getAccountView } from '@/lib/lifecycle/account/account-view';
import { setAccountEndDate } from '@/lib/lifecycle/account/set-end-date';
import { instantFormat, parseInstant } from '@/lib/policy/parse-time';
import { UsageError, flag, optionalString, orgOption, requiredString, type Command, type OptionValues } from '../command';
import { details, table } from '../format';
import { cliActor, getAccountIdOrThrow, getOrganizationOrThrow } from '../resolve';

const userUsage: Command['usage'] = [['--org <slug>', 'the organization'], ['--user <name>', 'the account user name (alice@acme.com)']];

function statusCommand(verb: 'suspend' | 'restore'): Command {
  const command = verb === 'suspend' ? suspendAccount : restoreAccount;
  return {
    name: `account ${verb}`,
    summary: verb === 'suspend' ? 'Suspend an account and revoke its sessions' : 'Restore a suspended or deprovisioned account',
    usage: [...userUsage, ['--reason <text>', 'recorded in the audit trail']],
    options: { ...orgOption, user: { type: 'string' }, reason: { type: 'string' } },
    prepare(values) {
      const slug = requiredString(values, 'org');
      const userName = requiredString(values, 'user');
      const reason = optionalString(values, 'reason');
      return async ({ db }) => {
        const { account, changed, sessionsRevoked } = await inTransaction(db, { actor: cliActor() }, async (tx, ctx) => {
          const org = await getOrganizationOrThrow(tx, slug);
          const accountId = await getAccountIdOrThrow(tx, org, userName);
          return command(tx, { organizationId: org.id, accountId, reason }, ctx);
        });
        return {
          data: { accountId: account.id, userName: account.userName, status: account.status, changed, sessionsRevoked },
          text: changed
            ? `${account.userName} is now ${account.status}\n${details([['sessions revoked', sessionsRevoked]])}`
            : `${account.userName} was already ${account.status}; nothing changed`,
        };
      };
    },
  };
}

const show: Command = {
  name: 'account show',
  summary: 'Show an account: profile and who owns each attribute, identities, roles in force, groups, open sessions',
  usage: userUsage,
  options: { ...orgOption, user: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const userName = requiredString(values, 'user');
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const view = await getAccountView(db, org.id, await getAccountIdOrThrow(db, org, userName));
      const profile = Object.entries(view.profile).map(([field, value]) => {
        const owner = view.owners[field as keyof typeof view.owners];
        return [`${field}${owner ? ` (${owner})` : ''}`, value] as [string, string | null];
      });
      const text = [
        details([['account', view.id], ['status', view.status], ['source', view.source], ['last sign-in', view.lastLoginAt], [`ends${view.owners.endsAt ? ` (${view.owners.endsAt})` : ''}`, view.endsAt ?? 'never'], ...profile]),
        '',
        'Roles:',
        table(view.roles, [['ROLE', (r) => r.key], ['SOURCE', (r) => r.source], ['FROM', (r) => r.sourceRef], ['EXPIRES', (r) => r.expiresAt ?? 'never']], '(none)'),
        '',
        'Identities:',
        table(view.identities, [['CONNECTION', (i) => i.connectionName], ['PROTOCOL', (i) => i.protocol], ['SUBJECT', (i) => i.subject], ['LAST SIGN-IN', (i) => i.lastLoginAt]], '(none)'),
        '',
        `Groups: ${view.groups.length ? view.groups.map((g) => g.displayName).join(', ') : '(none)'}`,
        `Open sessions: ${view.sessions.length}`,
      ].join('\n');
      return { data: view, text };
    };
  },
};

/** `--on DATE` (in the future) or `--clear`: exactly one. */
export function parseEndDate(values: OptionValues, now = new Date()): Date | null {
  const raw = optionalString(values, 'on');
  const clear = flag(values, 'clear');
  if (raw !== undefined && clear) throw new UsageError('give --on DATE or --clear, not both');
  if (clear) return null;
  if (raw === undefined) throw new UsageError('--on DATE (or --clear) is required');
  const at = parseInstant(raw);
  if (!at) throw new UsageError(`--on ${raw}: takes ${instantFormat}`);
  if (at.getTime() <= now.getTime()) throw new UsageError(`--on ${raw} is not in the future (to end the account now, use account suspend)`);
  return at;
}

const endDate: Command = {
  name: 'account end-date',
  summary: 'Set or clear an account’s end date (contractors): after it the account is suspended and its sessions end',
  usage: [...userUsage, ['--on <date>', 'the end: 2027-03-31 (00:00 UTC that day) or 2027-03-31T17:00:00Z'], ['--clear', 'remove the end date']],
  options: { ...orgOption, user: { type: 'string' }, on: { type: 'string' }, clear: { type: 'boolean' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const userName = requiredString(values, 'user');
    const endsAt = parseEndDate(values);
    return async ({ db }) => {
      const { account, changed } = await inTransaction(db, { actor: cliActor() }, async (tx, ctx) => {
        const org = await getOrganizationOrThrow(tx, slug);
        const accountId = await getAccountIdOrThrow(tx, org, userName);
        return setAccountEndDate(tx, { organizationId: org.id, accountId, endsAt }, ctx);
      });
      const shown = account.endsAt?.toISOString() ?? null;
      return {
        data: { accountId: account.id, userName: account.userName, endsAt: shown, changed },
        text: changed ? (shown ? `${account.userName} ends at ${shown}` : `${account.userName} has no end date now`) : `${account.userName} already ${shown ? `ends at ${shown}` : 'has no end date'}; nothing changed`,
      };
    };
  },
};

export const accountCommands = [statusCommand('suspend'), statusCommand('restore'), show, endDate];
