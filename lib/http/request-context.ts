import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { getEnv } from '@/lib/env';
import type { LoginContext } from '@/lib/jit/provision-user';

/**
 * Who is signing in, for the session and audit rows: the first X-Forwarded-For address (only if it
 * is an IP address: the columns are inet), the user agent, and a request ID.
 */
export function loginContextFrom(headers: Headers): LoginContext {
  return {
    ip: clientIp(headers),
    userAgent: headers.get('user-agent'),
    requestId: headers.get('x-request-id')?.slice(0, 100) ?? randomUUID(),
    sessionMaxAgeSeconds: getEnv().ROSTER_SESSION_MAX_AGE,
  };
}

/**
 * The client address for audit rows: the first X-Forwarded-For entry set by the proxy in front of
 * Roster, only if it is an IP address (the columns are inet; anything else would fail the write).
 */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? '';
  return isIP(forwarded) ? forwarded : null;
}
