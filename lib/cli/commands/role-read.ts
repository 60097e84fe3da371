import { getRoleByKey } from '@/db/queries/roles';
import { findGroupSummaries, findRoleHoldings, findRoleSummaries } from '@/db/queries/role-holders';
import { AppError } from '@/lib/errors';
import { integer, orgOption, requiredString, type Command } from '../command';
import { table } from '../format';
import { getOrganizationOrThrow } from '../resolve';

/** `roster role list|holders` and `roster group list`: read-only views of roles and groups. */
const roleList: Command = {
  name: 'role list',
  summary: "List an organization's roles: holders (by rule, group, manual) and what grants them",
  usage: [['--org <slug>', 'the organization']],
  options: { ...orgOption },
  prepare(values) {
    const slug = requiredString(values, 'org');
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const roles = await findRoleSummaries(db, org.id, new Date());
      return {
        data: roles,
        text: table(roles, [
          ['KEY', (r) => r.key],
          ['NAME', (r) => r.name],
          ['HOLDERS', (r) => r.holders],
          ['RULE', (r) => r.bySource.birthright],
          ['GROUP', (r) => r.bySource.group],
          ['MANUAL', (r) => r.bySource.manual],
          ['GRANTED BY', (r) => [...r.rules.map((n) => `rule ${n}`), ...r.groups.map((n) => `group ${n}`), ...r.defaultOf.map((n) => `default of ${n}`)]],
        ], '(no roles)'),
      };
    };
  },
};

const roleHolders: Command = {
  name: 'role holders',
  summary: 'Who holds a role and how (rule, group, connection default, manual), with expiry',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--role <key>', 'the role key'],
    ['--limit <n>', 'rows, 1-10000 (default 200)'],
    ['--offset <n>', 'rows to skip (default 0)'],
  ],
  options: { ...orgOption, role: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const roleKey = requiredString(values, 'role');
    const page = { limit: integer(values, 'limit', 200, { min: 1, max: 10_000 }), offset: integer(values, 'offset', 0, { min: 0, max: 1_000_000_000 }) };
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const role = await getRoleByKey(db, org.id, roleKey);
      if (!role) throw new AppError('not_found', `no role ${roleKey} in organization ${slug} (roster role list shows them)`);
      const { total, accounts, rows } = await findRoleHoldings(db, org.id, role.id, new Date(), page);
      const how = (r: (typeof rows)[number]) => (r.via === 'manual' ? `manual${r.grantedBy ? ` by ${r.grantedBy}` : ''}` : `${r.via} ${r.viaName ?? r.sourceRef}`);
      const range = rows.length ? `\n${page.offset + 1}-${page.offset + rows.length} of ${total} grants (${accounts} accounts)` : '';
      return {
        data: { role: role.key, total, accounts, limit: page.limit, offset: page.offset, holders: rows },
        text:
          table(rows, [
            ['USER NAME', (r) => r.userName],
            ['STATUS', (r) => r.status],
            ['HOW', how],
            ['GRANTED', (r) => r.grantedAt],
            ['EXPIRES', (r) => r.expiresAt ?? 'never'],
          ], `(nobody holds ${role.key})`) + range,
      };
    };
  },
};

const groupList: Command = {
  name: 'group list',
  summary: 'List groups: SCIM groups (members, the role each gives) and the groups sign-ins sent (accounts carrying each)',
  usage: [['--org <slug>', 'the organization']],
  options: { ...orgOption },
  prepare(values) {
    const slug = requiredString(values, 'org');
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const groups = await findGroupSummaries(db, org.id);
      return {
        data: groups,
        text:
          table(groups, [
            ['SOURCE', (g) => g.source],
            ['NAME', (g) => g.name],
            ['MEMBERS', (g) => g.members],
            ['ROLE', (g) => g.roleKey],
            ['ID', (g) => g.id],
          ], '(no groups)') +
          `\nMap a group to a role: roster group map --org ${slug} --group <name|id> --role <key|none> --dry-run (a sign-in group's mapping is the rule "Sign-in group: <name>")`,
      };
    };
  },
};

export const roleReadCommands = [roleList, roleHolders];
export const groupCommands = [groupList];
