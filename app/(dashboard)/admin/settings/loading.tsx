import { Skeleton } from '@/components/ui/skeleton';

/** While the settings page loads: its frame (settings form, SAML connections). */
export default function Loading() {
  return (
    <div className="space-y-6" role="status" aria-label="Loading">
      <Skeleton className="h-4 w-40" />
      <Skeleton className="h-8 w-64" />
      <Skeleton className="h-96" />
      <Skeleton className="h-48" />
    </div>
  );
}
