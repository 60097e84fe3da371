import { Skeleton } from '@/components/ui/skeleton';

/** While the conflicts page loads: its frame (header, the queue, the settled ones). */
export default function Loading() {
  return (
    <div className="space-y-6" role="status" aria-label="Loading">
      <Skeleton className="h-4 w-40" />
      <Skeleton className="h-8 w-64" />
      <Skeleton className="h-72" />
      <Skeleton className="h-40" />
    </div>
  );
}
