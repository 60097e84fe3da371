import { hash, randomBytes } from 'node:crypto';

/**
 * Login CSRF defence for SP-initiated SAML. A SAMLResponse is a bearer token: anyone holding a
 * valid one (the attacker's own, from their own sign-in) can auto-post it to the ACS from any site,
 * which would sign the victim's browser in as the attacker. So the browser that starts a sign-in
 * gets a random value in a cookie, the AuthnRequest row keeps only its SHA-256, and the ACS accepts
 * an answer to that request only from a browser presenting the value (handle-acs.ts).
 *
 * The IdP's answer is a cross-site POST, which carries only SameSite=None cookies, and browsers
 * take those only with Secure. Behind https the cookie is `__Host-` (no sibling domain can plant
 * one), Secure, SameSite=None. Over plain http (localhost development, `npm start`, the tests) a
 * non-Secure SameSite=None cookie is rejected, so it is SameSite=Lax; a cross-site POST arrives
 * without it, and the ACS answers that post once with a page of Roster's own that posts the same
 * form back (acs-hop.ts): a same-site POST, which carries Lax cookies. The binding is checked
 * either way; the hop only lets the cookie come along.
 *
 * One value per browser, reused by every sign-in it starts while the cookie lives, so two tabs (or
 * two connections) signing in at once do not overwrite each other's binding.
 */
export type BindingCookie = {
  name: string;
  options: { httpOnly: true; secure: boolean; sameSite: 'none' | 'lax'; path: '/'; maxAge: number };
};

const VALUE = /^[A-Za-z0-9_-]{43}$/;

export function bindingCookie(appUrl: string, maxAgeSeconds: number): BindingCookie {
  const secure = new URL(appUrl).protocol === 'https:';
  return {
    name: secure ? '__Host-roster-saml-binding' : 'roster-saml-binding',
    options: { httpOnly: true, secure, sameSite: secure ? 'none' : 'lax', path: '/', maxAge: maxAgeSeconds },
  };
}

/** 256 random bits, base64url. */
export function newBrowserBinding(): string {
  return randomBytes(32).toString('base64url');
}

/** A cookie value as this module makes them, or null (absent, or anything else). */
export function readBrowserBinding(value: unknown): string | null {
  return typeof value === 'string' && VALUE.test(value) ? value : null;
}

/** What the AuthnRequest row stores: the browser's value never is. */
export function hashBrowserBinding(value: string): string {
  return hash('sha256', value, 'base64url');
}
