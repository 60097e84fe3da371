import { Badge } from '@/components/ui/badge';

const tones = { completed: 'green', failed: 'red', halted: 'amber', running: 'blue' } as const;
type Outcome = keyof typeof tones;

/** A reconciliation run's outcome; a dry run and a halted run still waiting for an admin say so beside it. */
export function OutcomeBadge({ outcome, dryRun = false, awaiting = false }: { outcome: string; dryRun?: boolean; awaiting?: boolean }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <Badge tone={tones[outcome as Outcome] ?? 'slate'} data-outcome={outcome}>
        {outcome}
      </Badge>
      {dryRun ? <Badge>dry run</Badge> : null}
      {awaiting ? <Badge tone="amber">awaiting confirmation</Badge> : null}
    </span>
  );
}
