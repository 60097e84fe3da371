import { sql } from 'drizzle-orm';
import type { Database, Tx } from '@/db';
import { getAttributeRuleByName, insertAttributeRule } from '@/db/queries/attribute-rules';
import { getConnectionByName, insertConnection, updateConnection } from '@/db/queries/connections';
import { getOrganizationBySlug, insertOrganization } from '@/db/queries/organizations';
import { upsertRole } from '@/db/queries/roles';
import type { RuleConditions } from '@/db/schema';
import { recordEvent } from '@/lib/audit/record-event';
import { encryptSecret } from '@/lib/crypto/secret-box';
import { getEnv } from '@/lib/env';
import { readSamlConfig, type SamlConfig } from '@/lib/saml/config';
import { buildSamlConnectionConfig } from '@/lib/saml/idp-metadata';

export type DemoSeedOptions = {
  /** The demo IdP's issuer; it may change between runs (its port), so an existing connection is updated. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** NEXTAUTH_URL: the callback URL to register at the IdP is derived from it. */
  appUrl: string;
  /** Defaults to ROSTER_ENCRYPTION_KEY. */
  encryptionKey?: string;
  /** The demo SAML IdP's metadata (its key and port change per start): creates or re-points "Acme Demo SAML". */
  saml?: { metadataXml: string };
};

export type DemoSeed = {
  organizationId: string;
  connectionId: string;
  redirectUri: string;
  /** The SAML connection, when `saml` was given. */
  samlConnectionId: string | null;
  created: boolean;
};

export const DEMO_ORGANIZATION = { slug: 'acme', name: 'Acme Corp' } as const;
export const DEMO_CONNECTION_NAME = 'Acme Demo IdP';
export const DEMO_SAML_CONNECTION_NAME = 'Acme Demo SAML';

const DEMO_CONNECTION_DEFAULTS = { allowedDomains: ['acme.test'], defaultRoles: ['member'] };

const ROLES = [
  { key: 'member', name: 'Member', description: 'Everyone who signs in through the Acme IdP' },
  { key: 'engineering', name: 'Engineering', description: 'Engineering department' },
  { key: 'sales', name: 'Sales', description: 'Sales department' },
  { key: 'finance', name: 'Finance', description: 'Finance department' },
  { key: 'admin', name: 'Roster administrator', description: 'Manages Roster for Acme' },
] as const;
type RoleKey = (typeof ROLES)[number]['key'];

const eq = (attribute: string, value: string): RuleConditions => ({ match: 'all', conditions: [{ attribute, op: 'eq', value }] });

/** Organization-wide birthright rules: they hold whichever door (OIDC, SAML, SCIM) the person came through. */
const RULES: { name: string; role: RoleKey; conditions: RuleConditions }[] = [
  { name: 'Engineering department', role: 'engineering', conditions: eq('department', 'Engineering') },
  { name: 'Sales department', role: 'sales', conditions: eq('department', 'Sales') },
  { name: 'Finance department', role: 'finance', conditions: eq('department', 'Finance') },
  { name: 'Roster admins group', role: 'admin', conditions: eq('groups', 'roster-admins') },
];

/**
 * The demo tenant: Acme Corp, its OIDC connection to the demo IdP (and, given its metadata, a SAML
 * connection to the demo SAML IdP), roles and attribute rules. Idempotent (safe on every
 * `npm run dev`, and from several processes at once); on later runs it only re-points the
 * connections at the IdPs' current issuer, client secret and SAML metadata.
 */
export async function seedDemo(db: Database, options: DemoSeedOptions): Promise<DemoSeed> {
  const key = options.encryptionKey ?? getEnv().ROSTER_ENCRYPTION_KEY;
  if (!key) throw new Error('ROSTER_ENCRYPTION_KEY is needed to store the demo client secret (npm run dev generates one).');
  const client = { issuer: options.issuer, clientId: options.clientId, clientSecretEncrypted: encryptSecret(options.clientSecret, key) };

  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('roster:seed-demo', 0))`);
    const existing = await getOrganizationBySlug(tx, DEMO_ORGANIZATION.slug);
    const organization = existing ?? (await insertOrganization(tx, DEMO_ORGANIZATION));
    const connectionId = await ensureConnection(tx, organization.id, client);
    const samlConnectionId = options.saml ? await ensureSamlConnection(tx, organization.id, options.saml.metadataXml) : null;
    const roleIds = await ensureRoles(tx, organization.id);
    await ensureRules(tx, organization.id, roleIds);
    if (!existing) {
      await recordEvent(tx, {
        organizationId: organization.id,
        actor: { type: 'system', id: 'seed-demo' },
        action: 'organization.demo_seeded',
        target: { type: 'organization', id: organization.id },
        data: { connectionId, samlConnectionId, roles: ROLES.map((r) => r.key), rules: RULES.map((r) => r.name) },
      });
    }
    const redirectUri = `${options.appUrl.replace(/\/$/, '')}/api/auth/callback/${connectionId}`;
    return { organizationId: organization.id, connectionId, redirectUri, samlConnectionId, created: !existing };
  });
}

async function ensureConnection(tx: Tx, organizationId: string, client: { issuer: string; clientId: string; clientSecretEncrypted: string }) {
  const found = await getConnectionByName(tx, organizationId, DEMO_CONNECTION_NAME);
  if (found) {
    await updateConnection(tx, organizationId, found.id, client);
    return found.id;
  }
  const created = await insertConnection(tx, {
    organizationId,
    name: DEMO_CONNECTION_NAME,
    protocol: 'oidc',
    ...client,
    scopes: 'openid email profile',
    ...DEMO_CONNECTION_DEFAULTS,
  });
  return created.id;
}

/** New IdP coordinates and certificate from the metadata; settings changed on the connection since are kept. */
async function ensureSamlConnection(tx: Tx, organizationId: string, metadataXml: string) {
  const found = await getConnectionByName(tx, organizationId, DEMO_SAML_CONNECTION_NAME);
  const saml = buildSamlConnectionConfig({ metadataXml, settings: keptSamlSettings(found && readSamlConfig(found.samlConfig)) });
  if (found) {
    await updateConnection(tx, organizationId, found.id, saml);
    return found.id;
  }
  const created = await insertConnection(tx, { organizationId, name: DEMO_SAML_CONNECTION_NAME, protocol: 'saml', ...saml, ...DEMO_CONNECTION_DEFAULTS });
  return created.id;
}

function keptSamlSettings(stored: SamlConfig | null): Partial<SamlConfig> {
  if (!stored) return {};
  const { idpEntityId: _entityId, ssoUrl: _ssoUrl, ssoBinding: _binding, certificates: _certificates, ...settings } = stored;
  return settings;
}

async function ensureRoles(tx: Tx, organizationId: string): Promise<Record<RoleKey, string>> {
  const ids: Partial<Record<RoleKey, string>> = {};
  for (const role of ROLES) ids[role.key] = (await upsertRole(tx, { organizationId, ...role })).id;
  return ids as Record<RoleKey, string>;
}

async function ensureRules(tx: Tx, organizationId: string, roleIds: Record<RoleKey, string>) {
  for (const rule of RULES) {
    if (await getAttributeRuleByName(tx, organizationId, rule.name)) continue;
    await insertAttributeRule(tx, { organizationId, name: rule.name, roleId: roleIds[rule.role], conditions: rule.conditions });
  }
}
