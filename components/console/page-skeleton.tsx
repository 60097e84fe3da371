import { Skeleton } from '@/components/ui/skeleton';

/** While a console page loads: its frame (breadcrumbs, title, figures, a body), so nothing jumps when it arrives. */
export function PageSkeleton({ bands = 1 }: { bands?: number }) {
  return (
    <div className="space-y-6" role="status" aria-label="Loading">
      <Skeleton className="h-4 w-40" />
      <Skeleton className="h-8 w-64" />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-24" />
        ))}
      </div>
      {bands > 1 ? <Skeleton className="h-24" /> : null}
      <Skeleton className="h-72" />
    </div>
  );
}
