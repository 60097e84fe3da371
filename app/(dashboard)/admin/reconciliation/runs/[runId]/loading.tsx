import { PageSkeleton } from '@/components/console/page-skeleton';

/** While a reconciliation run loads: its figures, then its findings. */
export default function Loading() {
  return <PageSkeleton bands={2} />;
}
