/**
 * next-auth's `callbackUrl` (query parameter) and its callback-url cookie must be a path or an
 * absolute http(s) URL: next-auth answers anything else — `evil.example`, `http://[::1` — with a
 * 500 ("server configuration") on every route, sessions included. Roster drops such a value instead,
 * which leaves next-auth's default: back to this site.
 */
export const CALLBACK_URL_COOKIES = ['next-auth.callback-url', '__Secure-next-auth.callback-url'] as const;

/** The check next-auth makes (core/lib/assert.js), without throwing. */
export function isUsableCallbackUrl(value: string, baseUrl: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith('/') ? baseUrl : undefined).protocol);
  } catch {
    return false;
  }
}
