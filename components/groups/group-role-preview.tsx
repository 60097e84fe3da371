import { RoleChangeList } from '@/components/console/role-change-list';
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
      <RoleChangeList label="Would gain" rows={preview.gain} total={counts.gain} />
      <RoleChangeList label="Would lose" rows={preview.lose} total={counts.lose} />
    </section>
  );
}
