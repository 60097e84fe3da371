import { getDb } from '@/db';
import { refuseWhenUnavailable } from '@/lib/http/refusal';
import { appUrl, getSpMetadata } from '@/lib/saml/sp-metadata';

type Context = { params: Promise<{ connectionId: string }> };
const text = { 'content-type': 'text/plain; charset=utf-8' };

/** The SP metadata an IdP administrator imports (public: IdPs fetch it without a session). */
export async function GET(_request: Request, context: Context) {
  const { connectionId } = await context.params;
  const xml = await refuseWhenUnavailable(() => getSpMetadata(getDb(), connectionId, appUrl()), () => undefined);
  if (xml === undefined) return new Response('Unavailable for a moment; retry shortly.', { status: 503, headers: { ...text, 'retry-after': '5' } });
  if (!xml) return new Response('No SAML connection here.', { status: 404, headers: text });
  return new Response(xml, {
    headers: { 'content-type': 'application/samlmetadata+xml; charset=utf-8', 'cache-control': 'public, max-age=300' },
  });
}
