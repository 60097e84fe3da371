import { PageSkeleton } from '@/components/console/page-skeleton';

/** While the new-source form loads. */
export default function Loading() {
  return <PageSkeleton />;
}
