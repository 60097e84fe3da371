import { findAuditEvents } from '@/db/queries/audit-events';
import { UsageError, flag, integer, orgOption, optionalString, stringList, type Command } from '../command';
import { table } from '../format';
import { getOrganizationOrThrow } from '../resolve';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const list: Command = {
  name: 'audit list',
  summary: "Show an organization's audit trail (or the deployment's), newest first",
  usage: [
    ['--org <slug>', 'the organization'],
    ['--deployment', 'instead of --org: events that concern no organization (sign-ins refused for a connection that does not exist)'],
    ['--limit <n>', 'how many events, 1-500 (default 50)'],
    ['--action <action>', 'only this action (login.rejected, role.granted, …); repeat for more'],
    ['--account <id>', 'only events about this account'],
    ['--before <id>', 'only events older than this event id (paging)'],
  ],
  options: {
    ...orgOption,
    deployment: { type: 'boolean' },
    limit: { type: 'string' },
    action: { type: 'string', multiple: true },
    account: { type: 'string' },
    before: { type: 'string' },
  },
  prepare(values) {
    const slug = optionalString(values, 'org');
    const deployment = flag(values, 'deployment');
    if (deployment === (slug !== undefined)) throw new UsageError(deployment ? '--org and --deployment exclude each other' : '--org is required (or --deployment)');
    const accountId = optionalString(values, 'account');
    if (accountId && !uuidPattern.test(accountId)) throw new UsageError('--account takes an account id (roster accounts list shows them)');
    const before = integer(values, 'before', 0, { min: 1, max: Number.MAX_SAFE_INTEGER });
    const filter = {
      limit: integer(values, 'limit', 50, { min: 1, max: 500 }),
      actions: stringList(values, 'action'),
      targetId: accountId,
      beforeId: before || undefined,
    };
    return async ({ db }) => {
      const organizationId = slug === undefined ? null : (await getOrganizationOrThrow(db, slug)).id;
      const events = await findAuditEvents(db, organizationId, filter);
      return {
        data: events,
        text: table(events, [
          ['ID', (e) => e.id],
          ['TIME', (e) => e.createdAt],
          ['ACTOR', (e) => (e.actorId ? `${e.actorType}:${e.actorId}` : e.actorType)],
          ['ACTION', (e) => e.action],
          ['TARGET', (e) => (e.targetId ? `${e.targetType}:${e.targetId}` : null)],
          ['DETAILS', (e) => ((e.data ?? e.after) ? JSON.stringify(e.data ?? e.after) : null)],
        ], '(no audit events match)'),
      };
    };
  },
};

export const auditCommands = [list];
