import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { z } from 'zod';
import { getDb } from '@/db';
import { clientIp } from '@/lib/http/request-context';
import { resolveAdmin } from './admin-gate';
import { sessionCookieName, sessionIdFromCookie } from './session-cookie';
import { defineAdminAction, type ActionContext } from './define-action';

export type { ActionState } from './define-action';

/**
 * `adminAction(name, schema, handler)`: the wrapper every console server action is made with
 * (define-action.ts has the rules: auth first, zod-parsed input, `{ error }` for expected failures,
 * the admin as audit actor, one unit of work). A signed-out caller is sent to sign in.
 */
export function adminAction<S extends z.ZodType, T>(name: string, schema: S, handler: (input: z.infer<S>, ctx: ActionContext) => Promise<T>) {
  return defineAdminAction(name, schema, handler, {
    db: getDb,
    gate: async () => {
      const sid = await sessionIdFromCookie((await cookies()).get(sessionCookieName())?.value);
      const h = await headers();
      return resolveAdmin(getDb(), sid, { ip: clientIp(h), requestId: h.get('x-request-id') });
    },
    onSignedOut: () => redirect('/login'),
  });
}
