import { forbidden } from 'next/navigation';
import type { ReactNode } from 'react';
import { requireConsole } from '@/lib/auth/session';

/** Creating a source is an administrator's: an auditor gets a real 403, answered before the page streams (its loading state is below this layout). */
export default async function NewSourceLayout({ children }: { children: ReactNode }) {
  const user = await requireConsole('/admin/reconciliation/sources/new');
  if (!user.canWrite) forbidden();
  return children;
}
