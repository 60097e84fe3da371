import type { Database } from '@/db';
import { insertConnection } from '@/db/queries/connections';
import { upsertRole } from '@/db/queries/roles';
import type { NewConnection } from '@/db/schema';
import { recordEvent } from '@/lib/audit/record-event';
import { getEnv } from '@/lib/env';
import { UsageError, flag, requiredString, stringList, type OptionValues } from '../command';
import { cliActor, getOrganizationOrThrow } from '../resolve';

const hostnamePattern = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const roleKeyPattern = /^[a-z0-9][a-z0-9_.:-]{0,62}$/;
export const missingKey =
  'ROSTER_ENCRYPTION_KEY is not set, so the client secret cannot be stored. Run `npm run dev` once (it generates one into .env.local), or set it: export ROSTER_ENCRYPTION_KEY="$(openssl rand -base64 32)"';

export function connectionUrls(id: string) {
  const base = (getEnv().NEXTAUTH_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  return { signInUrl: `${base}/sso/${id}`, callbackUrl: `${base}/api/auth/callback/${id}` };
}

/** What every connection takes, whatever its protocol. */
export function parseCommonInput(values: OptionValues) {
  const domains = [...new Set(stringList(values, 'domain').map((d) => d.toLowerCase()))];
  if (domains.length === 0) throw new UsageError('at least one --domain is required (an email domain this IdP may sign in)');
  const badDomain = domains.find((d) => !hostnamePattern.test(d));
  if (badDomain) throw new UsageError(`--domain ${badDomain} is not a hostname such as acme.com`);
  const defaultRoles = [...new Set(stringList(values, 'default-role'))];
  const badRole = defaultRoles.find((r) => !roleKeyPattern.test(r));
  if (badRole) throw new UsageError(`--default-role ${badRole}: role keys are lowercase letters, digits and _ . : -`);
  return { name: requiredString(values, 'name'), allowedDomains: domains, defaultRoles, jitEnabled: !flag(values, 'no-jit') };
}
export type CommonInput = ReturnType<typeof parseCommonInput>;

/** Stores the connection, creates missing default roles, and audits it (never the secret), in one transaction. */
export async function storeConnection(db: Database, slug: string, values: CommonInput & Omit<NewConnection, 'organizationId'>, audit: Record<string, unknown>) {
  const org = await getOrganizationOrThrow(db, slug);
  const connection = await db.transaction(async (tx) => {
    for (const roleKey of values.defaultRoles) await upsertRole(tx, { organizationId: org.id, key: roleKey, name: roleKey });
    const row = await insertConnection(tx, { organizationId: org.id, ...values });
    await recordEvent(tx, {
      organizationId: org.id,
      actor: cliActor(),
      action: 'connection.created',
      target: { type: 'connection', id: row.id },
      after: { protocol: values.protocol, name: values.name, allowedDomains: values.allowedDomains, defaultRoles: values.defaultRoles, jitEnabled: values.jitEnabled, ...audit },
    });
    return row;
  });
  return { org, connection };
}

