import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJson, sendJson } from './http';
import { demoUserPatchSchema, type DemoDirectory } from './users';

/**
 * Demo-only directory admin, so e2e tests can turn a user into a mover:
 * GET /demo/users, GET /demo/users/:username, PATCH /demo/users/:username (JSON body of changed fields).
 * Unauthenticated on purpose: the demo IdP listens on 127.0.0.1 and never runs in production.
 */
export async function handleDemoUsers(directory: DemoDirectory, req: IncomingMessage, res: ServerResponse, username?: string): Promise<void> {
  if (username === undefined) {
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'Use GET' });
    return sendJson(res, 200, [...directory.users.values()]);
  }
  const user = directory.users.get(username);
  if (!user) return sendJson(res, 404, { error: `No demo user ${username}` });
  if (req.method === 'GET') return sendJson(res, 200, user);
  if (req.method !== 'PATCH') return sendJson(res, 405, { error: 'Use GET or PATCH' });

  const parsed = demoUserPatchSchema.safeParse(await readJson(req));
  if (!parsed.success) {
    return sendJson(res, 400, { error: 'Invalid patch', issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) });
  }
  return sendJson(res, 200, directory.update(username, parsed.data));
}
