import { changeGroupRole } from '@/lib/lifecycle/group/change-group-role';
import type { GroupRoleReport } from '@/lib/lifecycle/group/group-role-types';
import { resolveGroupRef } from '@/lib/lifecycle/group/resolve-group-ref';
import { flag, integer, oneOf, optionalString, orgOption, requiredString, type Command } from '../command';
import { details, table } from '../format';
import { cliActor, getOrganizationOrThrow } from '../resolve';

/**
 * `roster group map`: the role a group gives (lib/lifecycle/group/change-group-role.ts). A SCIM
 * group's members gain or lose it at once; a sign-in group's mapping is the birthright rule
 * `Sign-in group: NAME`, applied the same way. --dry-run prints who would gain and lose what.
 */
const map: Command = {
  name: 'group map',
  summary: 'Map a SCIM group or a sign-in group to a role (or none): its members gain or lose it at once (--dry-run first)',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--group <name|id>', 'a SCIM group (id or display name), else a group sent at sign-in (name)'],
    ['--kind <scim|sign-in>', 'which, when a name is both a SCIM group and a sign-in group'],
    ['--role <key|none>', 'the role its members hold through it; none: it gives no role'],
    ['--dry-run', 'print who would gain and lose which role; change nothing'],
    ['--confirm <n>', "past the organization's mass-change limit: the number of accounts the change concerns"],
    ['--show <n>', 'list at most n accounts that gain and n that lose (default 50; counts are always exact)'],
  ],
  options: { ...orgOption, group: { type: 'string' }, kind: { type: 'string' }, role: { type: 'string' }, 'dry-run': { type: 'boolean' }, confirm: { type: 'string' }, show: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const groupRef = requiredString(values, 'group');
    const kind = oneOf(values, 'kind', ['scim', 'sign-in'] as const);
    const role = requiredString(values, 'role');
    const roleKey = role.toLowerCase() === 'none' ? null : role;
    const dryRun = flag(values, 'dry-run');
    const confirmOver = optionalString(values, 'confirm') === undefined ? null : integer(values, 'confirm', 0, { min: 0, max: 100_000_000 });
    const limit = integer(values, 'show', 50, { min: 0, max: 10_000 });
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const group = await resolveGroupRef(db, org.id, groupRef, kind);
      const report = await changeGroupRole(db, org.id, { group, roleKey }, { actor: cliActor() }, { dryRun, confirmOver, limit });
      return { data: report, text: renderReport(report) };
    };
  },
};

const roleText = (r: { roleKey: string | null }) => r.roleKey ?? 'none';

function renderReport(r: GroupRoleReport): string {
  const what = `${r.group.kind === 'scim' ? 'SCIM group' : 'sign-in group'} "${r.group.name}"`;
  const head = r.dryRun ? `Dry run: nothing changed. Mapping the ${what} to ${roleText(r.after)} would:` : r.changed ? `Mapped the ${what} to ${roleText(r.after)}:` : `The ${what} gives ${roleText(r.after)} already:`;
  const rows = (list: GroupRoleReport['gain']) =>
    table(list, [
      ['USER NAME', (x) => x.userName],
      ['ROLE', (x) => x.roleKey],
      ['ALSO HELD', (x) => (x.heldOtherwise ? 'yes' : 'no')],
    ]);
  const more = (shown: number, total: number) => (total > shown ? `\n(${total - shown} more; --show raises the list, --json has the same)` : '');
  const pairs: [string, string][] = [
    ['role before', roleText(r.before)],
    ['role after', roleText(r.after)],
    ['gain', `${r.counts.gain} account(s)${r.counts.gain - r.counts.gainRole ? ` (${r.counts.gain - r.counts.gainRole} already hold the role otherwise)` : ''}`],
    ['lose', `${r.counts.lose} account(s)${r.counts.lose - r.counts.loseRole ? ` (${r.counts.lose - r.counts.loseRole} keep the role otherwise)` : ''}`],
  ];
  if (r.rule) pairs.push(['rule', `${r.rule.name}${r.rule.change ? ` (${{ create: 'created', update: 'updated', delete: 'deleted' }[r.rule.change]})` : ''}`]);
  if (!r.dryRun && r.counts.accounts > 0) pairs.push(['run', r.runId]);
  const lines = [head, details(pairs)];
  if (r.needsConfirmation) lines.push(`This concerns ${r.counts.accounts} accounts, more than the organization's limit of ${r.limit}: a real run needs --confirm ${r.counts.accounts}.`);
  if (r.gain.length) lines.push('', r.dryRun ? 'Would gain:' : 'Gained:', rows(r.gain) + more(r.gain.length, r.counts.gain));
  if (r.lose.length) lines.push('', r.dryRun ? 'Would lose:' : 'Lost:', rows(r.lose) + more(r.lose.length, r.counts.lose));
  return lines.join('\n');
}

export const groupMapCommands = [map];
