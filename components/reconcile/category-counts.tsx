import { categoryCounts } from '@/lib/console/reconcile-words';

/** A run's counts by category ("drift 3 · orphan 1"), compact for a table cell; zeros left out. */
export function CategoryCounts({ counts, newCount, resolvedCount }: { counts: Record<string, number>; newCount?: number; resolvedCount?: number }) {
  const shown = categoryCounts(counts).filter((c) => c.count > 0);
  if (shown.length === 0 && !newCount && !resolvedCount) return <span className="text-muted-foreground">—</span>;
  return (
    <ul className="flex flex-wrap gap-x-2 text-xs tabular-nums">
      {shown.map((c) => (
        <li key={c.category} data-category={c.category}>
          {c.label.toLowerCase()} {c.count.toLocaleString('en-US')}
        </li>
      ))}
      {newCount ? <li className="text-muted-foreground">{newCount.toLocaleString('en-US')} new</li> : null}
      {resolvedCount ? <li className="text-muted-foreground">{resolvedCount.toLocaleString('en-US')} resolved</li> : null}
    </ul>
  );
}
