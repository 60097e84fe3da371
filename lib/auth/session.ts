import { cache } from 'react';
import { cookies } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { connection } from 'next/server';
import { getDb } from '@/db';
import { hasRole } from '@/db/queries/roles';
import { checkSession } from '@/lib/lifecycle/session/check-session';
import { sessionCookieName, sessionIdFromCookie } from './session-cookie';

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof checkSession>>>;

/**
 * The signed-in person, or null. The cookie only points at a session row: a revoked or expired
 * session, or an account that is no longer active, is refused on this very request.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  await connection(); // per request, never prerendered
  const sid = await sessionIdFromCookie((await cookies()).get(sessionCookieName())?.value);
  if (!sid) return null;
  return checkSession(getDb(), sid);
});

export async function requireUser(returnTo = '/me'): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/login?returnTo=${encodeURIComponent(returnTo)}`);
  return user;
}

export const isAdmin = cache(async (user: CurrentUser) => hasRole(getDb(), user.organizationId, user.accountId, 'admin'));
export const isAuditor = cache(async (user: CurrentUser) => hasRole(getDb(), user.organizationId, user.accountId, 'auditor'));

/** Who may use the console: an admin changes things; an auditor sees everything and changes nothing. */
export type ConsoleUser = CurrentUser & { role: 'admin' | 'auditor'; canWrite: boolean };

/**
 * The gate of every console page and layout: a live session whose account holds the admin or the
 * auditor role in force (checked here, on the server, per request — never only hidden in the UI).
 * Anyone else gets the 403 page with status 403. Server actions use adminAction (admins only).
 */
export async function requireConsole(returnTo = '/admin'): Promise<ConsoleUser> {
  const user = await requireUser(returnTo);
  if (await isAdmin(user)) return { ...user, role: 'admin', canWrite: true };
  if (await isAuditor(user)) return { ...user, role: 'auditor', canWrite: false };
  forbidden();
}

/** An admin only (pages that change things). */
export async function requireAdmin(returnTo = '/admin'): Promise<CurrentUser> {
  const user = await requireConsole(returnTo);
  if (!user.canWrite) forbidden();
  return user;
}
