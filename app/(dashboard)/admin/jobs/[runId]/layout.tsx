import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { getDb } from '@/db';
import { getOrganizationJobRun } from '@/db/queries/console-job-runs';
import { requireConsole } from '@/lib/auth/session';
import { isUuid } from '@/lib/ids';

/**
 * A run of the signed-in admin's organization, or a 404 — answered before the page streams (its
 * loading state is below this layout), so another organization's run id, the deployment's, or none is a real 404.
 */
export default async function JobRunLayout({ children, params }: { children: ReactNode; params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const user = await requireConsole(`/admin/jobs/${runId}`);
  if (!isUuid(runId) || !(await getOrganizationJobRun(getDb(), user.organizationId, runId))) notFound();
  return children;
}
