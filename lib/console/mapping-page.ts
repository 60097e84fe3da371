import { z } from 'zod';
import type { Database } from '@/db';
import { getConnectionById } from '@/db/queries/connections';
import type { ActionContext } from '@/lib/auth/define-action';
import { candidatesOf, defaultMappingFor, mappableFields } from '@/lib/jit/map-claims';
import { updateConnectionMapping } from '@/lib/lifecycle/connection/update-mapping';
import { profileFieldDefinitions } from '@/lib/model/account';
import { mappingFromRows } from './mapping-form';

/**
 * The claim mapping page of a connection (/admin/connections/[id]/mapping), without Next.js: per
 * account field its label, the protocol's default claim names, the connection's own (blank: the
 * defaults apply) and whether a sign-in needs it; then the custom `extra.<name>` fields. Another
 * organization's connection is null (a 404).
 */
const labels: Record<string, string> = {
  ...Object.fromEntries(Object.entries(profileFieldDefinitions).map(([f, d]) => [f, d.label])),
  emailVerified: 'Email verified',
  groups: 'Groups',
  endsAt: 'End date',
};

export async function loadMappingPage(db: Database, organizationId: string, id: string) {
  const c = await getConnectionById(db, id);
  if (!c || c.organizationId !== organizationId) return null;
  const defaults = defaultMappingFor(c.protocol);
  const own = c.claimMapping;
  return {
    connection: { id: c.id, name: c.name, protocol: c.protocol, requiredAttributes: c.requiredAttributes, claimMapping: own },
    fields: mappableFields.map((field) => ({ field, label: labels[field] ?? field, defaults: candidatesOf(defaults[field]), claims: candidatesOf(own[field]).join(', '), required: c.requiredAttributes.includes(field) })),
    extras: Object.keys(own)
      .filter((f) => f.startsWith('extra.'))
      .map((field) => ({ name: field.slice('extra.'.length), claims: candidatesOf(own[field]).join(', '), required: c.requiredAttributes.includes(field) })),
  };
}
export type MappingPage = NonNullable<Awaited<ReturnType<typeof loadMappingPage>>>;

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** The page's form: `field` and `claims` side by side, one pair a row (custom fields as extra.<name>); each refusal lands on its row. */
export const saveMappingSchema = z
  .object({ connectionId: z.string(), field: list, claims: list })
  .transform((v, ctx) => {
    const { mapping, errors } = mappingFromRows(v.field.map((field, i) => ({ field, claims: v.claims[i] ?? '' })));
    for (const [field, message] of Object.entries(errors)) ctx.addIssue({ code: 'custom', path: [field], message });
    return { connectionId: v.connectionId, claimMapping: mapping };
  });

export async function saveMapping(input: z.infer<typeof saveMappingSchema>, { tx, admin, command }: ActionContext) {
  const r = await updateConnectionMapping(tx, { organizationId: admin.organizationId, connectionId: input.connectionId, claimMapping: input.claimMapping }, command);
  if (r.fields.length === 0) return { message: 'Nothing changed.', fields: r.fields };
  return { message: `Saved the mapping of ${r.fields.join(', ')}: it applies from each account’s next sign-in through ${r.connection.name}.`, fields: r.fields };
}
