import { Skeleton } from '@/components/ui/skeleton';

/** While the seat report loads: its frame (figures, saving, charts), so nothing jumps when it arrives. */
export default function Loading() {
  return (
    <div className="space-y-6" role="status" aria-label="Loading">
      <Skeleton className="h-4 w-40" />
      <Skeleton className="h-8 w-64" />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-24" />
        ))}
      </div>
      <Skeleton className="h-24" />
      <Skeleton className="h-72" />
    </div>
  );
}
