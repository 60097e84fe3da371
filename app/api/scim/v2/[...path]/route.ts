import { getDb } from '@/db';
import { getEnv } from '@/lib/env';
import { readBody } from '@/lib/http/read-body';
import { clientIp } from '@/lib/http/request-context';
import { handleScimRequest } from '@/lib/scim/handle-request';
import { MAX_BODY_BYTES } from '@/lib/scim/scimmy';

/**
 * SCIM 2.0 at /api/scim/v2: read the request (body capped, 413 past it), hand it to lib/scim, send
 * back SCIM JSON. Past the cap the rest of the body is never read, so that answer closes the
 * connection: a keep-alive client's next request must not follow the unread bytes.
 */
async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const configured = getEnv().NEXTAUTH_URL;
  const origin = configured ? new URL(configured).origin : url.origin;
  const body = await readBody(request, MAX_BODY_BYTES);
  const result = await handleScimRequest(getDb(), {
    method: request.method,
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    // Past the limit the text is longer than MAX_BODY_BYTES, which handleScimRequest answers with 413.
    body: body?.text ?? null,
    baseUrl: `${origin}/api/scim/v2`,
    ip: clientIp(request.headers),
  });
  const headers = body?.overLimit ? { ...result.headers, Connection: 'close' } : result.headers;
  return new Response(result.body ? JSON.stringify(result.body) : null, { status: result.status, headers });
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
