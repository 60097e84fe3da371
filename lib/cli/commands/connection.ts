import type { Database } from '@/db';
import { findConnectionsByOrganization, insertConnection } from '@/db/queries/connections';
import { upsertRole } from '@/db/queries/roles';
import { recordEvent } from '@/lib/audit/record-event';
import { encryptSecret } from '@/lib/crypto/secret-box';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { UsageError, flag, oneOf, orgOption, requiredString, stringList, type Command, type OptionValues } from '../command';
import { details, table } from '../format';
import { cliActor, getOrganizationOrThrow } from '../resolve';

const hostnamePattern = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const roleKeyPattern = /^[a-z0-9][a-z0-9_.:-]{0,62}$/;
const missingKey =
  'ROSTER_ENCRYPTION_KEY is not set, so the client secret cannot be stored. Run `npm run dev` once (it generates one into .env.local), or set it: export ROSTER_ENCRYPTION_KEY="$(openssl rand -base64 32)"';

function connectionUrls(id: string) {
  const base = (getEnv().NEXTAUTH_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  return { signInUrl: `${base}/sso/${id}`, callbackUrl: `${base}/api/auth/callback/${id}` };
}

type OidcInput = ReturnType<typeof parseOidcInput>;

function parseOidcInput(values: OptionValues) {
  const issuer = requiredString(values, 'issuer');
  if (!URL.canParse(issuer) || !/^https?:$/.test(new URL(issuer).protocol)) {
    throw new UsageError('--issuer must be an absolute http(s) URL such as https://acme.okta.com');
  }
  const domains = [...new Set(stringList(values, 'domain').map((d) => d.toLowerCase()))];
  if (domains.length === 0) throw new UsageError('at least one --domain is required (an email domain this IdP may sign in)');
  const badDomain = domains.find((d) => !hostnamePattern.test(d));
  if (badDomain) throw new UsageError(`--domain ${badDomain} is not a hostname such as acme.com`);
  const defaultRoles = [...new Set(stringList(values, 'default-role'))];
  const badRole = defaultRoles.find((r) => !roleKeyPattern.test(r));
  if (badRole) throw new UsageError(`--default-role ${badRole}: role keys are lowercase letters, digits and _ . : -`);
  return {
    name: requiredString(values, 'name'),
    issuer,
    clientId: requiredString(values, 'client-id'),
    clientSecret: requiredString(values, 'client-secret'),
    allowedDomains: domains,
    defaultRoles,
    jitEnabled: !flag(values, 'no-jit'),
  };
}

/** Stores the connection (secret encrypted), creates missing default roles, and audits it, in one transaction. */
async function storeConnection(db: Database, slug: string, input: OidcInput, key: string) {
  const org = await getOrganizationOrThrow(db, slug);
  const connection = await db.transaction(async (tx) => {
    for (const roleKey of input.defaultRoles) await upsertRole(tx, { organizationId: org.id, key: roleKey, name: roleKey });
    const { clientSecret, ...settings } = input;
    const row = await insertConnection(tx, { organizationId: org.id, protocol: 'oidc', ...settings, clientSecretEncrypted: encryptSecret(clientSecret, key) });
    await recordEvent(tx, {
      organizationId: org.id,
      actor: cliActor(),
      action: 'connection.created',
      target: { type: 'connection', id: row.id },
      after: { protocol: 'oidc', ...settings },
    });
    return row;
  });
  return { org, connection };
}

const create: Command = {
  name: 'connection create',
  summary: 'Add an identity provider connection (OIDC)',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--protocol oidc', 'the default (saml arrives with SAML support)'],
    ['--name <name>', 'shown on the sign-in page ("Okta")'],
    ['--issuer <url>', 'the OIDC issuer, https://…'],
    ['--client-id <id>', 'the client id of the application in the IdP'],
    ['--client-secret <secret>', 'its client secret (stored encrypted)'],
    ['--domain <domain>', 'email domain allowed to sign in; repeat for more'],
    ['--default-role <key>', 'role every user of this connection gets; repeat for more'],
    ['--no-jit', 'do not create accounts at first sign-in'],
  ],
  options: {
    ...orgOption,
    protocol: { type: 'string', default: 'oidc' },
    name: { type: 'string' },
    issuer: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    domain: { type: 'string', multiple: true },
    'default-role': { type: 'string', multiple: true },
    'no-jit': { type: 'boolean' },
  },
  prepare(values) {
    const slug = requiredString(values, 'org');
    if (oneOf(values, 'protocol', ['oidc', 'saml'] as const) === 'saml') {
      throw new UsageError('SAML connections arrive with SAML support; use --protocol oidc for now');
    }
    const input = parseOidcInput(values);
    const key = getEnv().ROSTER_ENCRYPTION_KEY;
    if (!key) throw new AppError('precondition_failed', missingKey);
    return async ({ db }) => {
      const { org, connection } = await storeConnection(db, slug, input, key);
      const urls = connectionUrls(connection.id);
      return {
        data: { ...connection, ...urls },
        text: [
          `Created OIDC connection "${connection.name}" for ${org.slug}`,
          details([
            ['id', connection.id],
            ['issuer', connection.issuer],
            ['domains', connection.allowedDomains],
            ['default roles', connection.defaultRoles],
            ['jit', connection.jitEnabled],
            ['sign-in URL', urls.signInUrl],
            ['callback URL', urls.callbackUrl],
          ]),
          'Register the callback URL as the redirect URI of the application in your identity provider.',
        ].join('\n'),
      };
    };
  },
};

const list: Command = {
  name: 'connection list',
  summary: "List an organization's identity provider connections",
  usage: [['--org <slug>', 'the organization']],
  options: { ...orgOption },
  prepare(values) {
    const slug = requiredString(values, 'org');
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const rows = (await findConnectionsByOrganization(db, org.id)).map((c) => ({ ...c, ...connectionUrls(c.id) }));
      return {
        data: rows,
        text: table(rows, [
          ['ID', (c) => c.id],
          ['NAME', (c) => c.name],
          ['PROTOCOL', (c) => c.protocol],
          ['ENABLED', (c) => c.enabled],
          ['JIT', (c) => c.jitEnabled],
          ['DOMAINS', (c) => c.allowedDomains],
          ['ISSUER', (c) => c.issuer],
        ], `(no connections: roster connection create --org ${org.slug} …)`),
      };
    };
  },
};

export const connectionCommands = [create, list];
