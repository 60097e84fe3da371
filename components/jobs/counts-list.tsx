import { countLabels } from '@/lib/jobs/describe-counts';

/** A run's counts by action ("end 120"), compact for a table cell. */
export function CountsList({ counts }: { counts: Record<string, number> }) {
  const labels = countLabels(counts);
  if (labels.length === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <ul className="flex flex-wrap gap-x-2 text-xs tabular-nums">
      {labels.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}
