import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { generateSigningKey, type SigningKey } from '@/lib/saml/testing/keys';
import { TestIdp } from '@/lib/saml/testing/test-idp';
import { handleDemoUsers } from '../admin-api';
import { close, failRequest, listen, send } from '../http';
import { DEMO_USERS, DemoDirectory, type DemoUser } from '../users';
import { PendingRequests } from './pending-requests';
import { handleLogin, handleSsoRequest, type PendingSignIn, type SsoContext } from './sso';

export type DemoSamlIdpOptions = {
  /** 0 picks a free port; the URLs then follow the port actually bound. */
  port: number;
  host?: '127.0.0.1';
  /**
   * Origins of the apps this IdP signs people in to (Roster's NEXTAUTH_URL). An AuthnRequest's
   * Issuer (Roster's SP metadata URL) must be on one of them; the SP metadata is read from it.
   */
  trustedSpOrigins: readonly string[];
  /** Shared with the OIDC demo IdP, so one PATCH /demo/users changes both; otherwise one of `users`. */
  directory?: DemoDirectory;
  users?: readonly DemoUser[];
  /** Defaults to a fresh RSA-2048 key and self-signed certificate per start. */
  signingKey?: SigningKey;
};

export type DemoSamlIdp = {
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  port: number;
  entityId: string;
  ssoUrl: string;
  /** The IdP metadata to create Roster's connection from (also served at /saml/metadata). */
  metadataXml: string;
  /** Keyed by username; the live objects, so reads see PATCHes. */
  users: Map<string, DemoUser>;
  stop(): Promise<void>;
};

const LOGIN_PATH = /^\/saml\/login\/([\w-]+)$/;
const DEMO_USERS_PATH = /^\/demo\/users(?:\/([\w.-]+))?$/;

/**
 * A real SAML 2.0 IdP for `npm run dev` and the e2e run, on lib/saml/testing's samlify IdP:
 * metadata at /saml/metadata, SSO over HTTP-Redirect at /saml/sso, its own login form, and a
 * signed response auto-posted to the SP's ACS in answer to the AuthnRequest (InResponseTo).
 */
export async function startDemoSamlIdp(options: DemoSamlIdpOptions): Promise<DemoSamlIdp> {
  const host = options.host ?? '127.0.0.1';
  const directory = options.directory ?? new DemoDirectory(options.users ?? DEMO_USERS);
  const key = options.signingKey ?? (await generateSigningKey({ commonName: 'Acme Demo SAML IdP' }));
  const server = http.createServer();
  const port = await listen(server, options.port, host);
  const baseUrl = `http://${host}:${port}`;
  const idp = new TestIdp(`${baseUrl}/saml/metadata`, `${baseUrl}/saml/sso`, key);
  const metadataXml = idp.metadataXml();
  const shared = { idp, baseUrl, directory, pending: new PendingRequests<PendingSignIn>(), trustedSpOrigins: options.trustedSpOrigins };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route({ ...shared, req, res }, metadataXml).catch((error: unknown) => failRequest(res, error, 'demo-saml-idp'));
  });
  return { baseUrl, port, entityId: idp.entityId, ssoUrl: idp.ssoUrl, metadataXml, users: directory.users, stop: () => close(server) };
}

async function route(ctx: SsoContext, metadataXml: string): Promise<void> {
  const { pathname } = new URL(ctx.req.url ?? '/', ctx.baseUrl);
  if (pathname === '/saml/metadata') return sendMetadata(ctx.res, metadataXml);
  if (pathname === '/saml/sso') return handleSsoRequest(ctx);
  const login = LOGIN_PATH.exec(pathname);
  if (login?.[1]) return handleLogin(ctx, login[1]);
  const demoUsers = DEMO_USERS_PATH.exec(pathname);
  if (demoUsers) return handleDemoUsers(ctx.directory, ctx.req, ctx.res, demoUsers[1]);
  send(ctx.res, 404, 'text', 'Not found. This SAML IdP serves /saml/metadata and /saml/sso.');
}

function sendMetadata(res: ServerResponse, xml: string): void {
  res.writeHead(200, { 'content-type': 'application/samlmetadata+xml; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(xml) });
  res.end(xml);
}
