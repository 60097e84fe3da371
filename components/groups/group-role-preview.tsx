import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import type { GroupRolePreview } from '@/lib/lifecycle/group/group-role-types';

const n = (v: number) => v.toLocaleString('en-US');
export const roleLabel = (r: { roleKey: string | null; roleName: string | null }) => r.roleName ?? r.roleKey ?? 'no role';

/** What saving the group's role does, in one sentence (the confirmation's). */
export function groupRoleSentence(p: GroupRolePreview) {
  const gains = p.after.roleKey ? `${n(p.counts.gain)} account(s) gain ${roleLabel(p.after)}` : null;
  const loses = p.counts.lose > 0 || !p.after.roleKey ? `${n(p.counts.lose)} lose ${p.before.roleKey ? roleLabel(p.before) : 'the role the group gave'}` : null;
  return `${p.group.name} gives ${roleLabel(p.after)} from now on: ${[gains, loses].filter(Boolean).join(' and ')}, at once.`;
}

/** Which members would gain and lose which role: exact counts, then the first accounts of each. */
export function GroupRolePreviewResult({ preview, title }: { preview: GroupRolePreview; title?: string }) {
  const { counts } = preview;
  return (
    <section aria-label={title ?? 'Preview'} className="grid gap-3 rounded-lg border bg-muted/30 p-4 text-sm" data-testid="group-role-preview">
      <h3 className="font-semibold">{title ?? 'Preview: nothing saved, nothing changed'}</h3>
      <dl className="grid grid-cols-2 gap-3">
        <div className="rounded-md border bg-card p-3" data-count="gain">
          <dt className="text-xs text-muted-foreground">Would gain {preview.after.roleKey ? roleLabel(preview.after) : 'a role'}</dt>
          <dd className="text-xl font-semibold tabular-nums">{n(counts.gain)}</dd>
        </div>
        <div className="rounded-md border bg-card p-3" data-count="lose">
          <dt className="text-xs text-muted-foreground">Would lose {preview.before.roleKey ? roleLabel(preview.before) : 'a role'}</dt>
          <dd className="text-xl font-semibold tabular-nums">{n(counts.lose)}</dd>
        </div>
      </dl>
      {counts.gain - counts.gainRole > 0 || counts.lose - counts.loseRole > 0 ? (
        <p className="text-muted-foreground">
          {counts.gain - counts.gainRole > 0 ? `${n(counts.gain - counts.gainRole)} of those who gain hold the role otherwise already. ` : ''}
          {counts.lose - counts.loseRole > 0 ? `${n(counts.lose - counts.loseRole)} of those who lose keep the role through another source (a rule, another group, a manual grant).` : ''}
        </p>
      ) : null}
      {preview.rule?.change ? (
        <p className="text-muted-foreground">
          Saving {preview.rule.change === 'create' ? 'creates' : preview.rule.change === 'update' ? 'updates' : 'deletes'} the birthright rule “{preview.rule.name}”.
        </p>
      ) : null}
      {preview.needsConfirmation ? (
        <p className="rounded-md bg-warning/10 p-3 text-warning ring-1 ring-warning/30 ring-inset" data-testid="group-role-over-limit">
          This concerns {n(counts.accounts)} accounts, more than the organization’s limit of {n(preview.limit)} for one change: saving asks you to type {counts.accounts}.
        </p>
      ) : null}
      {counts.accounts === 0 ? <p className="text-muted-foreground">No account would gain or lose a role.</p> : null}
      <ChangeList label="Would gain" rows={preview.gain} total={counts.gain} />
      <ChangeList label="Would lose" rows={preview.lose} total={counts.lose} />
    </section>
  );
}

function ChangeList({ label, rows, total }: { label: string; rows: GroupRolePreview['gain']; total: number }) {
  if (rows.length === 0) return null;
  return (
    <div className="grid gap-1">
      <table aria-label={label} className="w-full text-left">
        <caption className="pb-1 text-left text-xs font-semibold text-muted-foreground uppercase">{label}</caption>
        <thead>
          <tr className="border-b text-xs text-muted-foreground uppercase">
            <th scope="col" className="py-1 pr-3 font-semibold">Account</th>
            <th scope="col" className="py-1 pr-3 font-semibold">Role</th>
            <th scope="col" className="py-1 font-semibold"><span className="sr-only">Note</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.accountId}-${r.roleId}`} className="border-b last:border-0">
              <td className="py-1 pr-3 break-all">
                <Link href={`/admin/accounts/${r.accountId}`} className="rounded-sm hover:underline">
                  {r.userName}
                </Link>
                {r.displayName ? <span className="ml-2 text-xs text-muted-foreground">{r.displayName}</span> : null}
              </td>
              <td className="py-1 pr-3 font-mono text-xs">{r.roleKey}</td>
              <td className="py-1">{r.heldOtherwise ? <Badge>held otherwise</Badge> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > rows.length ? <p className="text-xs text-muted-foreground">The first {rows.length} of {n(total)}.</p> : null}
    </div>
  );
}
