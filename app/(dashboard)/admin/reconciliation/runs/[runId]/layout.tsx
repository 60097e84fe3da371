import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { getDb } from '@/db';
import { getReconcileRun } from '@/db/queries/reconcile-runs';
import { requireConsole } from '@/lib/auth/session';
import { isUuid } from '@/lib/ids';

/**
 * A reconciliation run of the signed-in person's organization, or a 404, answered before the page
 * streams (its loading state is below this layout): another organization's run id is a real 404.
 */
export default async function ReconcileRunLayout({ children, params }: { children: ReactNode; params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const user = await requireConsole(`/admin/reconciliation/runs/${runId}`);
  if (!isUuid(runId) || !(await getReconcileRun(getDb(), user.organizationId, runId))) notFound();
  return children;
}
