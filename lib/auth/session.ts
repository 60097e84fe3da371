import { cache } from 'react';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { getDb } from '@/db';
import { hasRole } from '@/db/queries/roles';
import { getLiveSession } from '@/db/queries/sessions';
import { sessionCookieName, sessionIdFromCookie } from './session-cookie';

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof getLiveSession>>>;

/**
 * The signed-in person, or null. The cookie only points at a session row: a revoked or expired
 * session, or an account that is no longer active, is refused on this very request.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  await connection(); // per request, never prerendered
  const sid = await sessionIdFromCookie((await cookies()).get(sessionCookieName())?.value);
  if (!sid) return null;
  return getLiveSession(getDb(), sid);
});

export async function requireUser(returnTo = '/me'): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/login?returnTo=${encodeURIComponent(returnTo)}`);
  return user;
}

export const isAdmin = cache(async (user: CurrentUser) => hasRole(getDb(), user.organizationId, user.accountId, 'admin'));

/** The gate of every admin page, layout and action: a live session whose account holds the admin role. */
export async function requireAdmin(returnTo = '/admin/accounts'): Promise<CurrentUser> {
  const user = await requireUser(returnTo);
  if (!(await isAdmin(user))) redirect('/forbidden');
  return user;
}
