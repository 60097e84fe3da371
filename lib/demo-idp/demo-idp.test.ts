import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_CLIENT_ID, DEMO_PASSWORD, startDemoIdp, type DemoIdp } from '@/lib/demo-idp';

const REDIRECT_URI = 'http://localhost:3999/api/auth/callback/3b9f3a52-4f6c-4a34-9a0e-000000000001';
const SECRET = 'test-secret-0123456789';
const POST_CLIENT = { clientId: 'post-client', clientSecret: 'post-secret-0123456789', redirectUris: [REDIRECT_URI] };

type Discovery = { authorization_endpoint: string; token_endpoint: string; userinfo_endpoint: string; jwks_uri: string };
type Claims = Record<string, unknown>;

let idp: DemoIdp;
let discovery: Discovery;

beforeAll(async () => {
  idp = await startDemoIdp({
    port: 0,
    clients: [
      { clientId: DEMO_CLIENT_ID, clientSecret: SECRET, redirectUris: [REDIRECT_URI] },
      { ...POST_CLIENT, tokenEndpointAuthMethod: 'client_secret_post' },
    ],
  });
  discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Discovery;
});

afterAll(async () => {
  await idp?.stop();
});

/** A browser's cookie jar, minus paths and expiry: enough for one host. */
class Jar {
  private cookies = new Map<string, string>();
  store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value) this.cookies.set(name.trim(), value);
      else this.cookies.delete(name.trim());
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function go(jar: Jar, url: string, init: RequestInit = {}) {
  const res = await fetch(new URL(url, idp.issuer), { ...init, redirect: 'manual', headers: { ...init.headers, cookie: jar.header() } });
  jar.store(res);
  return res;
}

const base64url = (b: Buffer) => b.toString('base64url');

type AuthorizeOptions = { password?: string; clientId?: string; jar?: Jar; loginHint?: string };

/** Runs the browser half of the code flow with PKCE, through the login form when the IdP shows it. */
async function authorize(username: string, { password = DEMO_PASSWORD, clientId = DEMO_CLIENT_ID, jar = new Jar(), loginHint }: AuthorizeOptions = {}) {
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const nonce = base64url(randomBytes(16));
  const auth = new URL(discovery.authorization_endpoint);
  const params = { client_id: clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid email profile', state, nonce };
  const pkce = { code_challenge: base64url(createHash('sha256').update(verifier).digest()), code_challenge_method: 'S256' };
  auth.search = new URLSearchParams({ ...params, ...pkce, ...(loginHint ? { login_hint: loginHint } : {}) }).toString();

  const start = await go(jar, auth.href);
  expect(start.status).toBe(303);
  let next = start.headers.get('location')!;
  let loginForm: string | null = null;
  if (next.startsWith('/interaction/')) {
    loginForm = await (await go(jar, next)).text();
    const form = new URLSearchParams({ username, password });
    const submit = await go(jar, `${next}/login`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    if (submit.status !== 303) return { refused: submit, verifier, nonce, loginForm };
    const resume = await go(jar, submit.headers.get('location')!);
    expect(resume.status).toBe(303);
    next = resume.headers.get('location')!;
  }
  const callback = new URL(next);
  expect(callback.href.startsWith(REDIRECT_URI)).toBe(true);
  expect(callback.searchParams.get('state')).toBe(state);
  return { code: callback.searchParams.get('code')!, verifier, nonce, loginForm };
}

async function exchange(code: string, verifier: string, client: { id: string; secret: string; post?: boolean } = { id: DEMO_CLIENT_ID, secret: SECRET }) {
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.post) {
    body.set('client_id', client.id);
    body.set('client_secret', client.secret);
  } else headers.authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  const res = await fetch(discovery.token_endpoint, { method: 'POST', body, headers });
  return { status: res.status, body: (await res.json()) as { id_token?: string; access_token?: string; error?: string } };
}

/** Verifies the RS256 signature against the IdP's JWKS and returns the payload. */
async function verifyIdToken(token: string): Promise<Claims> {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
  const { keys } = (await (await fetch(discovery.jwks_uri)).json()) as { keys: (JsonWebKey & { kid: string })[] };
  const jwk = keys.find((k) => k.kid === kid)!;
  const ok = verify('sha256', Buffer.from(`${header}.${payload}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signature, 'base64url'));
  expect(ok).toBe(true);
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Claims;
}

async function userinfo(accessToken: string): Promise<Claims> {
  const res = await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Claims;
}

async function signIn(username: string, jar = new Jar()) {
  const { code, verifier, nonce, loginForm } = await authorize(username, { jar });
  const tokens = await exchange(code!, verifier);
  expect(tokens.status).toBe(200);
  return { idToken: await verifyIdToken(tokens.body.id_token!), userinfo: await userinfo(tokens.body.access_token!), nonce, loginForm };
}

describe('demo IdP', () => {
  test('issuer is http://127.0.0.1:PORT and advertises code flow with PKCE', async () => {
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const doc = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string[]>;
    expect(doc.response_types_supported).toEqual(['code']);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    expect(doc.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post']));
  });

  test('a code flow puts the directory claims in the ID token and userinfo', async () => {
    const { idToken, userinfo: info, nonce } = await signIn('alice');
    const alice = idp.users.get('alice')!;
    const expected = {
      sub: alice.sub,
      email: 'alice@acme.test',
      email_verified: true,
      name: 'Alice Anders',
      department: 'Engineering',
      title: 'Staff Engineer',
      employee_number: 'E1001',
      groups: ['staff', 'roster-admins'],
    };
    expect(idToken).toMatchObject({ ...expected, iss: idp.issuer, aud: DEMO_CLIENT_ID, nonce });
    expect(info).toMatchObject(expected);
    expect(alice.sub).not.toContain('@');
  });

  test('PATCH /demo/users/:username makes a mover: the next sign-in carries the new department', async () => {
    const jar = new Jar();
    await signIn('alice', jar);
    const res = await fetch(`${idp.issuer}/demo/users/alice`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ department: 'Sales', employee_number: 'E2001' }),
    });
    expect(res.status).toBe(200);
    const list = (await (await fetch(`${idp.issuer}/demo/users`)).json()) as { username: string; department: string }[];
    expect(list.find((u) => u.username === 'alice')?.department).toBe('Sales');

    // Through the IdP session, as a browser that signed in before would.
    const { idToken, userinfo: info, loginForm } = await signIn('alice', jar);
    expect(loginForm).toBeNull();
    expect(idToken).toMatchObject({ department: 'Sales', employee_number: 'E2001' });
    expect(info).toMatchObject({ department: 'Sales', groups: ['staff', 'roster-admins'] });
  });

  test('the admin API refuses bad patches and unknown users', async () => {
    const patch = (user: string, body: unknown, type = 'application/json') =>
      fetch(`${idp.issuer}/demo/users/${user}`, { method: 'PATCH', headers: { 'content-type': type }, body: JSON.stringify(body) });
    expect((await patch('alice', { sub: 'hijack' })).status).toBe(400);
    expect((await patch('alice', { department: 'X' }, 'text/plain')).status).toBe(415);
    expect((await patch('mallory', { department: 'X' })).status).toBe(404);
  });

  test('the login form has stable labels for people and Playwright', async () => {
    const { loginForm } = await authorize('alice');
    expect(loginForm).toContain('<label for="username">Username</label>');
    expect(loginForm).toContain('<label for="password">Password</label>');
    expect(loginForm).toContain('>Sign in</button>');
  });

  test('an IdP session signs the same person in again without the form; a login_hint for someone else shows it', async () => {
    const jar = new Jar();
    await authorize('alice', { jar });
    const again = await authorize('alice', { jar });
    expect(again.loginForm).toBeNull();

    const { code, verifier, loginForm } = await authorize('bob', { jar, loginHint: 'bob@acme.test' });
    expect(loginForm).toContain('value="bob"');
    const tokens = await exchange(code!, verifier);
    expect(await verifyIdToken(tokens.body.id_token!)).toMatchObject({ email: 'bob@acme.test', groups: ['staff'] });
    expect((await authorize('bob', { jar })).loginForm).toBeNull();
  });

  test('a wrong password is refused on the login page', async () => {
    const result = await authorize('bob', { password: 'wrong' });
    expect(result.refused?.status).toBe(401);
    expect(await result.refused?.text()).toContain('role="alert"');
  });

  test('the code needs its PKCE verifier, and client_secret_post works for a client registered for it', async () => {
    const first = await authorize('carol');
    expect((await exchange(first.code!, base64url(randomBytes(32)))).body.error).toBe('invalid_grant');

    const second = await authorize('carol', { clientId: POST_CLIENT.clientId });
    const tokens = await exchange(second.code!, second.verifier, { id: POST_CLIENT.clientId, secret: POST_CLIENT.clientSecret, post: true });
    expect(tokens.status).toBe(200);
    expect(await verifyIdToken(tokens.body.id_token!)).toMatchObject({ email: 'carol@acme.test', department: 'Finance' });
  });
});
