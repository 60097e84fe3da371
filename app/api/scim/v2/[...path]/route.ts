import { getDb } from '@/db';
import { getEnv } from '@/lib/env';
import { clientIp } from '@/lib/http/request-context';
import { handleScimRequest } from '@/lib/scim/handle-request';
import { readBodyText } from '@/lib/scim/read-body';
import { MAX_BODY_BYTES } from '@/lib/scim/scimmy';

/** SCIM 2.0 at /api/scim/v2: read the request (body capped, 413 past it), hand it to lib/scim, send back SCIM JSON. */
async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const configured = getEnv().NEXTAUTH_URL;
  const origin = configured ? new URL(configured).origin : url.origin;
  const result = await handleScimRequest(getDb(), {
    method: request.method,
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    body: await readBodyText(request, MAX_BODY_BYTES),
    baseUrl: `${origin}/api/scim/v2`,
    ip: clientIp(request.headers),
  });
  return new Response(result.body ? JSON.stringify(result.body) : null, { status: result.status, headers: result.headers });
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
