import { z } from 'zod';
import type { ActionContext } from '@/lib/auth/define-action';
import { createScimToken, revokeScimToken } from '@/lib/scim/create-token';
import { entraTenantUrl, scimBaseUrl } from './scim-page';

/**
 * The SCIM page's actions, without Next.js (app/(dashboard)/admin/scim/actions.ts binds them): the
 * same commands as `roster scim-token create|revoke`, in the admin's organization (never the
 * form's; another organization's connection or token is not found). Both are audited there.
 */
export const createTokenSchema = z.object({
  name: z.string().trim().min(1, 'Required: what the token is for, e.g. "Entra ID".').max(100, 'At most 100 characters.'),
  /** Empty: a token tied to no connection (the organization-wide rules apply to what it pushes). */
  connectionId: z.union([z.literal(''), z.uuid('Choose one of the connections.')]).optional(),
});

export type CreatedToken = { message: string; token: string; tokenPrefix: string; name: string; baseUrl: string; entraUrl: string };

export async function createTokenFromForm(input: z.infer<typeof createTokenSchema>, { tx, admin, command }: ActionContext): Promise<CreatedToken> {
  const created = await createScimToken(tx, { organizationId: admin.organizationId, connectionId: input.connectionId || null, name: input.name }, command.actor);
  const baseUrl = scimBaseUrl();
  return { message: `Created the SCIM token ${created.name}.`, token: created.token, tokenPrefix: created.tokenPrefix, name: created.name, baseUrl, entraUrl: entraTenantUrl(baseUrl) };
}

export const revokeTokenSchema = z.object({ tokenId: z.uuid('No such SCIM token.') });

export async function revokeTokenFromForm(input: z.infer<typeof revokeTokenSchema>, { tx, admin, command }: ActionContext) {
  const row = await revokeScimToken(tx, { organizationId: admin.organizationId, tokenId: input.tokenId }, command.actor);
  return { message: `Revoked the SCIM token ${row.name}: the IdP using it is refused from now on.` };
}
