import { PageSkeleton } from '@/components/console/page-skeleton';

/** While the seat report loads: figures, the saving, the charts. */
export default function Loading() {
  return <PageSkeleton bands={2} />;
}
