import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { handleDemoUsers } from './admin-api';
import { close, failRequest, listen } from './http';
import { handleInteraction, type InteractionAction } from './interactions';
import { createProvider, type DemoClient } from './provider';
import { DEMO_USERS, DemoDirectory, type DemoUser, type DemoUserPatch } from './users';

export type DemoIdpOptions = {
  /** 0 picks a free port; the issuer then follows the port actually bound. */
  port: number;
  host?: '127.0.0.1';
  /** Defaults to http://127.0.0.1:PORT. */
  issuer?: string;
  clients: DemoClient[];
  users?: readonly DemoUser[];
  /** A directory shared with the demo SAML IdP, so one PATCH changes both; `users` is ignored then. */
  directory?: DemoDirectory;
};

export type DemoIdp = {
  issuer: string;
  port: number;
  /** Keyed by username; the live objects, so reads see PATCHes. */
  users: Map<string, DemoUser>;
  /** Changes a user's claims (by username or sub); the next sign-in carries them. */
  setUser(sub: string, patch: DemoUserPatch): DemoUser;
  stop(): Promise<void>;
};

const INTERACTION_PATH = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/;
const DEMO_USERS_PATH = /^\/demo\/users(?:\/([\w.-]+))?$/;

/** A real OpenID Provider (oidc-provider) with its own sign-in pages and a directory of demo users. */
export async function startDemoIdp(options: DemoIdpOptions): Promise<DemoIdp> {
  const host = options.host ?? '127.0.0.1';
  const directory = options.directory ?? new DemoDirectory(options.users ?? DEMO_USERS);
  // Listen first, so port 0 can pick a free port and the issuer can name it.
  const server = http.createServer();
  const port = await listen(server, options.port, host);
  const issuer = options.issuer ?? `http://${host}:${port}`;
  // Invalid client metadata throws here; don't leave the port bound.
  const provider = await createProvider(issuer, options.clients, directory).catch(async (error: unknown) => {
      await close(server);
      throw error;
    });
  provider.on('server_error', (_ctx, error) => process.stderr.write(`[demo-idp] ${String(error)}\n`));
  const routes: Routes = { provider, oidc: provider.callback(), directory };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(routes, req, res).catch((error: unknown) => failRequest(res, error, 'demo-idp'));
  });

  return {
    issuer,
    port,
    users: directory.users,
    setUser: (sub, patch) => directory.update(sub, patch),
    stop: () => close(server),
  };
}

type Routes = { provider: Provider; oidc: ReturnType<Provider['callback']>; directory: DemoDirectory };

async function route(routes: Routes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { pathname } = new URL(req.url ?? '/', 'http://demo-idp');
  const interaction = INTERACTION_PATH.exec(pathname);
  if (interaction?.[1]) {
    const action = (interaction[2] ?? 'show') as InteractionAction;
    return handleInteraction({ provider: routes.provider, directory: routes.directory, req, res }, interaction[1], action);
  }
  const demoUsers = DEMO_USERS_PATH.exec(pathname);
  if (demoUsers) return handleDemoUsers(routes.directory, req, res, demoUsers[1]);
  routes.oidc(req, res);
}
