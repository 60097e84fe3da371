import { RoleChangeList } from '@/components/console/role-change-list';
import type { RulePreviewView } from '@/lib/console/rule-actions';

const n = (v: number) => v.toLocaleString('en-US');

/** Which accounts a rule change would give and take which role: exact counts, then the first accounts of each. */
export function RulePreviewResult({ preview, title }: { preview: RulePreviewView; title?: string }) {
  const { counts } = preview;
  return (
    <section aria-labelledby="rule-preview-title" className="grid gap-3 rounded-lg border bg-muted/30 p-4 text-sm" data-testid="rule-preview">
      <h2 id="rule-preview-title" className="font-semibold">
        {title ?? 'Preview: nothing saved, nothing changed'}
      </h2>
      <dl className="grid grid-cols-2 gap-3">
        <div className="rounded-md border bg-card p-3" data-count="gain">
          <dt className="text-xs text-muted-foreground">Would gain {preview.roleKey}</dt>
          <dd className="text-xl font-semibold tabular-nums">{n(counts.gain)}</dd>
        </div>
        <div className="rounded-md border bg-card p-3" data-count="lose">
          <dt className="text-xs text-muted-foreground">Would lose {preview.beforeRoleKey ?? preview.roleKey}</dt>
          <dd className="text-xl font-semibold tabular-nums">{n(counts.lose)}</dd>
        </div>
      </dl>
      {counts.gain - counts.gainRole > 0 || counts.lose - counts.loseRole > 0 ? (
        <p className="text-muted-foreground">
          {counts.gain - counts.gainRole > 0 ? `${n(counts.gain - counts.gainRole)} of those who gain hold the role otherwise already. ` : ''}
          {counts.lose - counts.loseRole > 0 ? `${n(counts.lose - counts.loseRole)} of those who lose keep the role otherwise.` : ''}
        </p>
      ) : null}
      {preview.createsRole ? <p className="text-muted-foreground">Saving creates the role {preview.createsRole}.</p> : null}
      {preview.needsConfirmation ? (
        <p className="rounded-md bg-warning/10 p-3 text-warning ring-1 ring-warning/30 ring-inset" data-testid="rule-over-limit">
          This concerns {n(counts.accounts)} accounts, more than the organization’s limit of {n(preview.limit)} for one change: saving asks you to type {counts.accounts}.
        </p>
      ) : null}
      {counts.accounts === 0 ? <p className="text-muted-foreground">No account would gain or lose a role.</p> : null}
      <RoleChangeList label="Would gain" rows={preview.gain} total={counts.gain} />
      <RoleChangeList label="Would lose" rows={preview.lose} total={counts.lose} />
    </section>
  );
}
