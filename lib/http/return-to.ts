const MAX_RETURN_TO = 1024;

/**
 * The page to land on after sign-in: only a same-origin relative path, else the fallback.
 * Browsers drop tabs and newlines and treat `\` as `/`, so `/\t/evil.test` or `/\evil.test`
 * would leave the site; resolving against a fixed origin and comparing catches every such form.
 */
export function safeReturnTo(value: unknown, fallback = '/me'): string {
  if (typeof value !== 'string' || value.length > MAX_RETURN_TO || !value.startsWith('/')) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(value) || value.startsWith('//')) return fallback;
  try {
    const origin = 'https://roster.invalid';
    const url = new URL(value, origin);
    if (url.origin !== origin) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
