import type { Database, Tx } from '@/db';
import { getAttributeRule } from '@/db/queries/attribute-rules';
import { findSignInGroupMembers } from '@/db/queries/group-members';
import { getGroup, getGroupByDisplayName } from '@/db/queries/groups';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import type { GroupRef } from './group-role-types';
import { signInGroupRuleName } from './sign-in-group-role';

/**
 * A group named as a person types it (the CLI's `--group NAME|ID`): a SCIM group by id or display
 * name, else a group sent at sign-in by name (carried by an account's last sign-in, or mapped by its
 * rule). A name that is both is ambiguous: `kind` chooses. Only this organization's groups are found.
 */
export async function resolveGroupRef(db: Database | Tx, organizationId: string, nameOrId: string, kind?: GroupRef['kind']): Promise<GroupRef> {
  const ref = nameOrId.trim();
  if (ref === '') throw new AppError('invalid_input', 'Name the group (its SCIM id or display name, or a sign-in group name).');
  const scim = kind === 'sign-in' ? null : ((isUuid(ref) ? await getGroup(db, organizationId, ref) : null) ?? (await getGroupByDisplayName(db, organizationId, ref)));
  const signIn = kind === 'scim' || (scim && scim.id === ref) ? false : await signInGroupKnown(db, organizationId, ref);
  if (scim && signIn) {
    throw new AppError('conflict', `"${ref}" is both a SCIM group (id ${scim.id}) and a group sent at sign-in: give the SCIM group's id, or choose with --kind scim|sign-in.`);
  }
  if (scim) return { kind: 'scim', id: scim.id };
  if (signIn) return { kind: 'sign-in', name: ref };
  const what = kind === 'scim' ? 'SCIM group' : kind === 'sign-in' ? 'sign-in group' : 'SCIM group or sign-in group';
  throw new AppError('not_found', `No ${what} "${ref}" in this organization (roster group list shows them).`);
}

async function signInGroupKnown(db: Database | Tx, organizationId: string, name: string) {
  if ((await findSignInGroupMembers(db, organizationId, name, { limit: 0, offset: 0 })).total > 0) return true;
  return (await getAttributeRule(db, organizationId, signInGroupRuleName(name))) !== null;
}
