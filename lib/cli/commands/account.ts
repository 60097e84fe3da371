import { restoreAccount, suspendAccount } from '@/lib/lifecycle/account/set-account-status';
import { inTransaction } from '@/lib/lifecycle/context';
import { getAccountView } from '@/lib/lifecycle/account/account-view';
import { optionalString, orgOption, requiredString, type Command } from '../command';
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
        details([['account', view.id], ['status', view.status], ['source', view.source], ['last sign-in', view.lastLoginAt], ...profile]),
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

export const accountCommands = [statusCommand('suspend'), statusCommand('restore'), show];
