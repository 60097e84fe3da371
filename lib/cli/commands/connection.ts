import { findConnectionsByOrganization } from '@/db/queries/connections';
import { parseIssuer } from '@/lib/connections/connection-input';
import { encryptSecret } from '@/lib/crypto/secret-box';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { inTransaction } from '@/lib/lifecycle/context';
import { createConnection } from '@/lib/lifecycle/connection/create-connection';
import { oneOf, orgOption, requiredString, type Command, type OptionValues, type Runner } from '../command';
import { details, table } from '../format';
import { cliActor, getOrganizationOrThrow } from '../resolve';
import { connectionChangeCommands } from './connection-change';
import { connectionRefreshCommands } from './connection-refresh';
import { checked, commonUsage, connectionUrls, missingKey, parseCommonInput } from './connection-common';
import { samlOptions, samlRunner, samlUsage } from './connection-saml';

function parseOidcInput(values: OptionValues) {
  const issuer = requiredString(values, 'issuer');
  return { ...parseCommonInput(values), issuer: checked(() => parseIssuer(issuer)), clientId: requiredString(values, 'client-id'), clientSecret: requiredString(values, 'client-secret') };
}

function oidcRunner(slug: string, values: OptionValues): Runner {
  const { clientSecret, ...input } = parseOidcInput(values);
  const key = getEnv().ROSTER_ENCRYPTION_KEY;
  if (!key) throw new AppError('precondition_failed', missingKey);
  return async ({ db }) => {
    const { org, connection } = await inTransaction(db, { actor: cliActor() }, async (tx, ctx) => {
      const org = await getOrganizationOrThrow(tx, slug);
      const connection = await createConnection(tx, { organizationId: org.id, ...input, protocol: 'oidc', clientSecretEncrypted: encryptSecret(clientSecret, key) }, ctx);
      return { org, connection };
    });
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
}

const create: Command = {
  name: 'connection create',
  summary: 'Add an identity provider connection (OIDC or SAML)',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--protocol oidc|saml', 'oidc (the default) or saml'],
    ['--name <name>', 'shown on the sign-in page ("Okta")'],
    ['--issuer <url>', 'OIDC: the issuer, https://…'],
    ['--client-id <id>', 'OIDC: the client id of the application in the IdP'],
    ['--client-secret <secret>', 'OIDC: its client secret (stored encrypted)'],
    ...samlUsage,
    ['--domain <domain>', 'email domain allowed to sign in; repeat for more'],
    ...commonUsage,
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
    map: { type: 'string', multiple: true },
    require: { type: 'string', multiple: true },
    'default-role': { type: 'string', multiple: true },
    'no-jit': { type: 'boolean' },
    ...samlOptions,
  },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const protocol = oneOf(values, 'protocol', ['oidc', 'saml'] as const) ?? 'oidc';
    return protocol === 'saml' ? samlRunner(slug, values) : oidcRunner(slug, values);
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

export const connectionCommands = [create, list, ...connectionChangeCommands, ...connectionRefreshCommands];
