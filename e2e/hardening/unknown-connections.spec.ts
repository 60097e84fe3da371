import { randomUUID } from 'node:crypto';
import { expect, test } from '../fixtures';

/**
 * Sign-in routes with a connection id they cannot use answer the refusal page (or a 4xx), never a
 * 500: malformed ids (Postgres refuses the uuid cast) and unknown ones. No browser: Playwright's
 * request fixture, redirects not followed.
 */
const app = () => process.env.E2E_APP_URL!;
const refusal = (reason: string) => `${app()}/login/error?reason=${reason}`;
const malformed = ['a'.repeat(36), '-'.repeat(36)];

for (const id of malformed) {
  test(`a malformed connection id (${id.slice(0, 4)}…, 36 characters) is refused on every sign-in route`, async ({ request }) => {
    const acs = await request.post(`/api/saml/${id}/acs`, { form: { SAMLResponse: 'PHNhbWxwOlJlc3BvbnNlLz4=' }, maxRedirects: 0 });
    expect([acs.status(), acs.headers()['location']]).toEqual([303, refusal('unknown_connection')]);
    const login = await request.get(`/api/saml/${id}/login`, { maxRedirects: 0 });
    expect([login.status(), login.headers()['location']]).toEqual([303, refusal('unknown_connection')]);
    expect((await request.get(`/api/saml/${id}/metadata`)).status()).toBe(404);
    const sso = await request.get(`/sso/${id}`);
    expect(sso.status()).toBe(200);
    expect(await sso.text()).toContain('This sign-in link does not match any identity provider connection.');
    for (const path of [`/api/auth/signin/${id}`, `/api/auth/callback/${id}?code=x&state=y`]) {
      const res = await request.get(path, { maxRedirects: 0 });
      expect([res.status(), res.headers()['location']]).toEqual([303, refusal('unknown_connection')]);
    }
  });
}

test('the OIDC callback of an unknown (well-formed) connection is the refusal page, not a bare 400', async ({ request }) => {
  const res = await request.get(`/api/auth/callback/${randomUUID()}?code=x&state=y`, { maxRedirects: 0 });
  expect([res.status(), res.headers()['location']]).toEqual([303, refusal('unknown_connection')]);
  const page = await request.get(res.headers()['location']!);
  expect(await page.text()).toContain('data-reason="unknown_connection"');
});

test('starting an OIDC sign-in of an unknown connection (the SSO page’s fetch) answers the refusal page as next-auth’s { url }', async ({ request }) => {
  const { csrfToken } = (await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const res = await request.post(`/api/auth/signin/${randomUUID()}`, { form: { csrfToken, callbackUrl: '/me', json: 'true' } });
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ url: refusal('unknown_connection') });
});
