import { AppError } from '@/lib/errors';
import { metadataUrlProblem } from './config';
import { MAX_METADATA_BYTES } from './idp-metadata';

/** Why fetching an IdP's metadata failed: the audit trail and the job's counts use these words. */
export type MetadataFetchFailure = 'bad_url' | 'unreachable' | 'timeout' | 'http_status' | 'too_many_redirects' | 'too_large' | 'not_xml';

export type FetchMetadataOptions = {
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  fetch?: typeof fetch;
};

export const METADATA_TIMEOUT_MS = 10_000;
export const METADATA_MAX_REDIRECTS = 3;

const fail = (reason: MetadataFetchFailure, message: string) => new AppError('invalid_input', `Metadata URL: ${message}`, { reason });

/** The failure's reason when `error` came from fetchSamlMetadata, else null. */
export function metadataFetchFailure(error: unknown): MetadataFetchFailure | null {
  return error instanceof AppError && typeof error.details?.reason === 'string' ? (error.details.reason as MetadataFetchFailure) : null;
}

/**
 * Fetches an IdP's SAML metadata document: https (http only to this machine), within one timeout for
 * the whole exchange, following at most `maxRedirects` redirects (each target checked like the URL
 * itself), reading the body as a stream and stopping past MAX_METADATA_BYTES, and refusing what is
 * plainly not XML (an HTML login page, JSON). Throws AppError invalid_input with `details.reason`
 * (MetadataFetchFailure) and a message an admin can act on. The XML itself is read by parseIdpMetadata.
 */
export async function fetchSamlMetadata(url: string, options: FetchMetadataOptions = {}): Promise<string> {
  const maxBytes = options.maxBytes ?? MAX_METADATA_BYTES;
  const timeoutMs = options.timeoutMs ?? METADATA_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await follow(url, options.maxRedirects ?? METADATA_MAX_REDIRECTS, signal, options.fetch ?? fetch);
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (/^(text\/html|application\/json|image\/)/.test(type)) {
      await res.body?.cancel();
      throw fail('not_xml', `${url} answered ${type}, not XML metadata (is it the IdP's metadata URL, not a sign-in page?).`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await res.body?.cancel();
      throw tooLarge(url, maxBytes);
    }
    const text = await readCapped(res, url, maxBytes);
    if (!/^\uFEFF?\s*</.test(text)) throw fail('not_xml', `${url} did not answer an XML document.`);
    return text;
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (signal.aborted) throw fail('timeout', `${url} did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}.`);
    throw fail('unreachable', `${url} could not be reached (${describeCause(error)}).`);
  }
}

async function follow(start: string, maxRedirects: number, signal: AbortSignal, fetcher: typeof fetch): Promise<Response> {
  let url = start;
  for (let hops = 0; ; hops++) {
    const problem = metadataUrlProblem(url);
    if (problem) throw fail('bad_url', hops === 0 ? `${url} ${problem}.` : `it redirected to ${url}, which ${problem}.`);
    const res = await fetcher(url, { redirect: 'manual', signal, headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml;q=0.9, */*;q=0.1' } });
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      await res.body?.cancel();
      if (hops >= maxRedirects) throw fail('too_many_redirects', `${start} redirected more than ${maxRedirects} times.`);
      url = new URL(res.headers.get('location')!, url).toString();
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw fail('http_status', `${url} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`);
    }
    return res;
  }
}

async function readCapped(res: Response, url: string, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(url, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(url: string, maxBytes: number) {
  const limit = maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / (1024 * 1024))} MiB` : `${Math.round(maxBytes / 1024)} KiB`;
  return fail('too_large', `${url} answered a document larger than ${limit}.`);
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return cause instanceof Error ? cause.message : String(cause);
}
