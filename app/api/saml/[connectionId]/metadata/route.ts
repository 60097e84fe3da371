import { getDb } from '@/db';
import { appUrl, getSpMetadata } from '@/lib/saml/sp-metadata';

type Context = { params: Promise<{ connectionId: string }> };

/** The SP metadata an IdP administrator imports (public: IdPs fetch it without a session). */
export async function GET(_request: Request, context: Context) {
  const { connectionId } = await context.params;
  const xml = await getSpMetadata(getDb(), connectionId, appUrl());
  if (!xml) return new Response('No SAML connection here.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return new Response(xml, {
    headers: { 'content-type': 'application/samlmetadata+xml; charset=utf-8', 'cache-control': 'public, max-age=300' },
  });
}
