import { cookies } from 'next/headers';
import { getDb } from '@/db';
import { hasRole } from '@/db/queries/roles';
import { checkSession } from '@/lib/lifecycle/session/check-session';
import { sessionCookieName, sessionIdFromCookie } from './session-cookie';

/** For console route handlers (exports): the signed-in admin or auditor, or the status to answer with (401, 403). */
export async function consoleRequestUser() {
  const sid = await sessionIdFromCookie((await cookies()).get(sessionCookieName())?.value);
  const user = sid ? await checkSession(getDb(), sid) : null;
  if (!user) return { status: 401 as const };
  const [admin, auditor] = await Promise.all([hasRole(getDb(), user.organizationId, user.accountId, 'admin'), hasRole(getDb(), user.organizationId, user.accountId, 'auditor')]);
  return admin || auditor ? { status: 200 as const, user } : { status: 403 as const };
}
