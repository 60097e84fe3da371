import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { z } from 'zod';
import { getDb } from '@/db';
import { clientIp } from '@/lib/http/request-context';
import { resolveAdmin } from './admin-gate';
import { buildAuthOptions } from './config';
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
      const session = (await getServerSession(await buildAuthOptions())) as { sid?: string } | null;
      const h = await headers();
      return resolveAdmin(getDb(), session?.sid, { ip: clientIp(h), requestId: h.get('x-request-id') });
    },
    onSignedOut: () => redirect('/login'),
  });
}
