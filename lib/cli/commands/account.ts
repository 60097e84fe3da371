import { setAccountStatus } from '@/lib/lifecycle/set-account-status';
import { optionalString, orgOption, requiredString, type Command } from '../command';
import { details } from '../format';
import { cliActor, getAccountIdOrThrow, getOrganizationOrThrow } from '../resolve';

function statusCommand(verb: 'suspend' | 'restore', status: 'suspended' | 'active'): Command {
  return {
    name: `account ${verb}`,
    summary: verb === 'suspend' ? 'Suspend an account and revoke its sessions' : 'Restore a suspended or deprovisioned account',
    usage: [['--org <slug>', 'the organization'], ['--user <name>', 'the account user name (alice@acme.com)'], ['--reason <text>', 'recorded in the audit trail']],
    options: { ...orgOption, user: { type: 'string' }, reason: { type: 'string' } },
    prepare(values) {
      const slug = requiredString(values, 'org');
      const userName = requiredString(values, 'user');
      const reason = optionalString(values, 'reason');
      return async ({ db }) => {
        const { account, changed, sessionsRevoked } = await db.transaction(async (tx) => {
          const org = await getOrganizationOrThrow(tx, slug);
          const accountId = await getAccountIdOrThrow(tx, org, userName);
          return setAccountStatus(tx, { organizationId: org.id, accountId, status, reason }, cliActor());
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

export const accountCommands = [statusCommand('suspend', 'suspended'), statusCommand('restore', 'active')];
