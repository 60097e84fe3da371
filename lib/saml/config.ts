import { X509Certificate } from 'node:crypto';
import { z } from 'zod';

export const MIN_RSA_BITS = 2048;

/** A certificate as PEM, from PEM or bare base64 (as metadata carries it). Null when it is not one. */
export function toPemCertificate(value: string): string | null {
  const body = value
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '');
  if (!body || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null;
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
    return pem;
  } catch {
    return null;
  }
}

/** Why a certificate cannot verify SAML signatures here, or null when it can (RSA, 2048 bits or more). */
export function certificateProblem(pem: string): string | null {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return 'is not an X.509 certificate';
  }
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'rsa') return `has a ${key.asymmetricKeyType ?? 'unknown'} key; SAML signatures are verified with RSA keys`;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) return `has a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`;
  return null;
}

const certificate = z.string().transform((value, ctx) => {
  const pem = toPemCertificate(value);
  const problem = pem ? certificateProblem(pem) : 'is not an X.509 certificate';
  if (problem || !pem) {
    ctx.addIssue({ code: 'custom', message: `The certificate ${problem}.` });
    return z.NEVER;
  }
  return pem;
});

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048);

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why a metadata URL cannot be fetched from, or null when it can: https, or plain http only to this
 * machine (127.0.0.1, localhost: tests and a dev IdP). Metadata carries the keys signatures are
 * checked with, so it is never read in the clear over a network.
 */
export function metadataUrlProblem(value: string): string | null {
  if (value.length > 2048 || !URL.canParse(value)) return 'must be an absolute https URL';
  const url = new URL(value);
  if (url.protocol === 'https:') return url.username || url.password ? 'must not carry a user name or password' : null;
  if (url.protocol === 'http:' && loopbackHosts.has(url.hostname)) return null;
  return 'must be an https URL (plain http only to 127.0.0.1 or localhost)';
}

const metadataUrl = z.string().trim().superRefine((value, ctx) => {
  const problem = metadataUrlProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** What connections.saml_config holds: the IdP's coordinates and how strictly its responses are checked. */
export const samlConfigSchema = z.object({
  idpEntityId: z.string().trim().min(1).max(1024),
  ssoUrl: httpUrl,
  ssoBinding: z.enum(['redirect', 'post']).default('redirect'),
  /** The IdP's signing certificates: several during a key rollover. */
  certificates: z.array(certificate).min(1).max(10),
  wantAssertionsSigned: z.boolean().default(true),
  wantResponseSigned: z.boolean().default(false),
  allowSha1: z.boolean().default(false),
  clockSkewSeconds: z.number().int().min(0).max(600).default(120),
  /**
   * Accept unsolicited responses (no InResponseTo: sign-in started at the IdP's portal). Off by
   * default, and an explicit risk when on: with no AuthnRequest nothing binds the response to the
   * browser posting it, so login CSRF cannot be refused (see browser-binding.ts).
   */
  allowIdpInitiated: z.boolean().default(false),
  /** NameID format asked for in the AuthnRequest; unset lets the IdP choose. */
  nameIdFormat: z.string().max(256).optional(),
  /** Where the IdP publishes its metadata: kept when the connection was made from it, refreshed daily (refresh-saml-metadata). */
  metadataUrl: metadataUrl.optional(),
});

export type SamlConfig = z.output<typeof samlConfigSchema>;
export type SamlConfigInput = z.input<typeof samlConfigSchema>;

const CACHE_SIZE = 256;
/** Stored configurations already read, keyed by their content (JSON): an update is a new key, so it is seen at once. */
const readConfigs = new Map<string, SamlConfig | null>();

/**
 * The stored configuration, or null when it is missing or no longer valid. Validating it (zod,
 * and two X509Certificate parses per certificate) costs about a millisecond, on every ACS and
 * login start, so results are kept per content, the least recently used of 256 dropped. Each
 * caller gets its own copy, so nothing it does reaches the cache.
 */
export function readSamlConfig(stored: unknown): SamlConfig | null {
  const key = stored === undefined ? 'undefined' : JSON.stringify(stored);
  let config = readConfigs.get(key);
  if (config === undefined) {
    const parsed = samlConfigSchema.safeParse(stored);
    config = parsed.success ? parsed.data : null;
    if (readConfigs.size >= CACHE_SIZE) readConfigs.delete(readConfigs.keys().next().value!);
  } else {
    readConfigs.delete(key);
  }
  readConfigs.set(key, config);
  return config && { ...config, certificates: [...config.certificates] };
}
