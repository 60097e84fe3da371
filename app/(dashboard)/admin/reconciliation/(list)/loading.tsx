import { PageSkeleton } from '@/components/console/page-skeleton';

/** While the reconciliation page loads: sources, then runs. */
export default function Loading() {
  return <PageSkeleton bands={2} />;
}
