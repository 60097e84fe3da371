import { Badge } from '@/components/ui/badge';
import type { JobRunStatus } from '@/db/queries/job-runs';

const tones = { succeeded: 'green', failed: 'red', halted: 'amber', running: 'blue' } as const;

/** A run's outcome; a dry run says so beside it. */
export function RunStatusBadge({ status, dryRun = false }: { status: JobRunStatus; dryRun?: boolean }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <Badge tone={tones[status]} data-status={status}>
        {status}
      </Badge>
      {dryRun ? <Badge>dry run</Badge> : null}
    </span>
  );
}
