import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { getDb } from '@/db';
import { getAccountById } from '@/db/queries/accounts';
import { requireConsole } from '@/lib/auth/session';
import { isUuid } from '@/lib/ids';

/**
 * An account of the signed-in admin's organization, or a 404 — answered before the page streams
 * (its loading state is below this layout), so the status is a real 404 for an id of another
 * organization or none.
 */
export default async function AccountLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireConsole(`/admin/accounts/${id}`);
  if (!isUuid(id) || !(await getAccountById(getDb(), user.organizationId, id))) notFound();
  return children;
}
