import { AppError } from '@/lib/errors';

/** What an issuer's discovery document must say for next-auth to sign in through it. */
export type DiscoveryDocument = { issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri: string };

const trimSlash = (url: string) => url.replace(/\/+$/, '');
const refuse = (message: string) => new AppError('invalid_input', message, { field: 'issuer' });

/**
 * Checks that an OIDC issuer answers its discovery document (`<issuer>/.well-known/openid-configuration`)
 * with the issuer itself and the endpoints a sign-in needs, before a connection to it is saved.
 * Refusals are AppError invalid_input on the issuer field, in words an admin can act on.
 */
export async function checkIssuerDiscovery(issuer: string, options: { timeoutMs?: number; fetch?: typeof fetch } = {}): Promise<DiscoveryDocument> {
  const url = `${trimSlash(issuer)}/.well-known/openid-configuration`;
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, { redirect: 'error', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.timeoutMs ?? 5_000) });
  } catch (error) {
    const why = error instanceof Error && error.name === 'TimeoutError' ? 'it did not answer in time' : 'it could not be reached';
    throw refuse(`The issuer's discovery document ${url} could not be read: ${why}. Check the issuer URL.`);
  }
  if (!res.ok) throw refuse(`The issuer did not answer its discovery document: ${url} answered ${res.status}. Check the issuer URL (Okta: https://<org>.okta.com; Entra: https://login.microsoftonline.com/<tenant>/v2.0).`);
  let body: unknown;
  try {
    const text = await res.text();
    if (text.length > 512 * 1024) throw new Error('too large');
    body = JSON.parse(text);
  } catch {
    throw refuse(`${url} did not answer a discovery document (JSON).`);
  }
  const doc = body as Partial<Record<keyof DiscoveryDocument, unknown>>;
  const missing = (['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const).filter((k) => typeof doc[k] !== 'string');
  if (missing.length) throw refuse(`The discovery document at ${url} has no ${missing.join(', ')}.`);
  if (trimSlash(doc.issuer as string) !== trimSlash(issuer)) throw refuse(`The discovery document names the issuer ${String(doc.issuer)}, not ${issuer}: use that exact issuer.`);
  return doc as DiscoveryDocument;
}
