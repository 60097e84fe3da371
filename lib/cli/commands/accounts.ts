import { findAccounts } from '@/db/queries/accounts';
import { accountStatusEnum } from '@/db/schema';
import { integer, oneOf, optionalString, orgOption, requiredString, type Command } from '../command';
import { table } from '../format';
import { getOrganizationOrThrow } from '../resolve';

const list: Command = {
  name: 'accounts list',
  summary: "List an organization's accounts",
  usage: [
    ['--org <slug>', 'the organization'],
    ['--search <text>', 'matches user name, email, display name or department'],
    ['--status <status>', accountStatusEnum.enumValues.join(' | ')],
    ['--limit <n>', 'page size, 1-200 (default 50)'],
    ['--offset <n>', 'rows to skip (default 0)'],
  ],
  options: { ...orgOption, search: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const filter = {
      search: optionalString(values, 'search'),
      status: oneOf(values, 'status', accountStatusEnum.enumValues),
      limit: integer(values, 'limit', 50, { min: 1, max: 200 }),
      offset: integer(values, 'offset', 0, { min: 0, max: 1_000_000_000 }),
    };
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const { rows, total } = await findAccounts(db, org.id, filter);
      const range = rows.length === 0 ? '' : `\n${filter.offset + 1}-${filter.offset + rows.length} of ${total}`;
      const empty = total === 0 ? '(no accounts match)' : `(no accounts on this page; ${total} in all)`;
      return {
        data: { total, limit: filter.limit, offset: filter.offset, accounts: rows },
        text:
          table(rows, [
            ['USER NAME', (a) => a.userName],
            ['DISPLAY NAME', (a) => a.displayName],
            ['STATUS', (a) => a.status],
            ['SOURCE', (a) => a.source],
            ['DEPARTMENT', (a) => a.department],
            ['LAST LOGIN', (a) => a.lastLoginAt],
            ['ID', (a) => a.id],
          ], empty) + range,
      };
    };
  },
};

export const accountsCommands = [list];
