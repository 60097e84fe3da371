import type { Tx } from '@/db';
import { getLiveSession, touchSessionUse } from '@/db/queries/sessions';

/** How often a session's use is written (sessions.last_used_at, accounts.last_activity_at). */
export const SESSION_USE_EVERY_SECONDS = 5 * 60;

export type LiveSession = NonNullable<Awaited<ReturnType<typeof getLiveSession>>>;

/**
 * The check of every authenticated request: the live session (not revoked or expired, its account
 * active) or null. Its use is Roster's activity signal for dormancy: written at most once per
 * SESSION_USE_EVERY_SECONDS per session. The read says when the session was last used, so a request
 * within the interval costs no write at all; the write itself is conditional, so racing requests
 * write once. Not audited (it is not a change anyone made).
 */
export async function checkSession(db: Tx, sessionId: string, now: Date = new Date()): Promise<LiveSession | null> {
  const session = await getLiveSession(db, sessionId);
  if (!session) return null;
  const stale = session.lastUsedAt === null || now.getTime() - session.lastUsedAt.getTime() >= SESSION_USE_EVERY_SECONDS * 1000;
  if (stale) await touchSessionUse(db, session.sessionId, now, SESSION_USE_EVERY_SECONDS);
  return session;
}
