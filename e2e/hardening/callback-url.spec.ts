import { expect, test } from '../fixtures';

/**
 * next-auth answers a callbackUrl (query parameter or cookie) that is neither a path nor an http(s)
 * URL with a 500 on every route; Roster drops it (lib/auth/callback-url.ts) and a posted one falls
 * back to this site (the redirect callback in lib/auth/config.ts).
 */
test.describe('a callbackUrl that is not a path or an http(s) URL', () => {
  test('as a query parameter or cookie, next-auth routes still answer', async ({ request }) => {
    for (const path of ['/api/auth/session?callbackUrl=evil.example', '/api/auth/csrf?callbackUrl=evil.example', '/api/auth/providers?callbackUrl=http%3A%2F%2F%5B%3A%3A1']) {
      expect((await request.get(path)).status(), path).toBe(200);
    }
    const withCookie = await request.get('/api/auth/session', { headers: { cookie: 'next-auth.callback-url=evil.example' } });
    expect(withCookie.status()).toBe(200);
    expect(await withCookie.json()).toEqual({});
    const cleared = withCookie.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie' && h.value.startsWith('next-auth.callback-url='));
    expect(cleared.length).toBeGreaterThan(0);
    expect(cleared.every((h) => !h.value.startsWith('next-auth.callback-url=evil.example'))).toBe(true);
  });

  test('as the cookie of a page visit, the page still works', async ({ request }) => {
    const me = await request.get('/me', { headers: { cookie: 'next-auth.callback-url=evil.example' }, maxRedirects: 0 });
    expect(me.status()).toBe(307);
    expect(me.headers()['location']).toContain('/login?returnTo=%2Fme');
  });

  test('posted to start a sign-in, it falls back to this site and the sign-in starts', async ({ request }) => {
    const { csrfToken } = (await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string };
    const res = await request.post(`/api/auth/signin/${process.env.E2E_CONNECTION_ID}`, { form: { csrfToken, callbackUrl: 'evil.example', json: 'true' } });
    expect(res.status()).toBe(200);
    const { url } = (await res.json()) as { url: string };
    expect(url.startsWith(`${process.env.E2E_IDP_URL}/`)).toBe(true);
  });
});
