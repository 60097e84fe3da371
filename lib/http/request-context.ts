import { randomUUID } from 'node:crypto';
import { getEnv } from '@/lib/env';
import type { LoginContext } from '@/lib/jit/provision-user';
import { clientIp } from './client-ip';

export { clientIp } from './client-ip';

/**
 * Who is signing in, for the session and audit rows: the client address (client-ip.ts: not one the
 * client chooses), the user agent, and a request ID.
 */
export function loginContextFrom(headers: Headers): LoginContext {
  return {
    ip: clientIp(headers),
    userAgent: headers.get('user-agent'),
    requestId: headers.get('x-request-id')?.slice(0, 100) ?? randomUUID(),
    sessionMaxAgeSeconds: getEnv().ROSTER_SESSION_MAX_AGE,
  };
}
