import type { LoadRequest } from './load-generator';

/**
 * The SCIM requests the HTTP bench sends, as IdPs send them: a joiner (POST /Users with the
 * Enterprise extension), Okta's deactivation (a PatchOp whose value is `{ active: false }`, no
 * path), Entra's attribute update (several `Replace` operations with paths in one PatchOp), a
 * `userName eq` filter and a list page of 100.
 */
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export const userBody = (userName: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  userName,
  externalId: `ext-${userName}`,
  active: true,
  name: { givenName: 'Bench', familyName: userName },
  emails: [{ value: `${userName}@scim.bench.test`, type: 'work', primary: true }],
  [ENTERPRISE]: { department: 'Engineering' },
});

export const oktaDeactivate = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] };

export const entraReplace = (tag: string) => ({
  schemas: [PATCH_OP],
  Operations: [
    { op: 'Replace', path: 'displayName', value: `Bench ${tag}` },
    { op: 'Replace', path: 'name.givenName', value: `Given ${tag}` },
    { op: 'Replace', path: 'name.familyName', value: `Family ${tag}` },
    { op: 'Replace', path: 'title', value: `Title ${tag}` },
  ],
});

export const post = (path: string, body: unknown): LoadRequest => ({ method: 'POST', path, body: JSON.stringify(body) });
export const patch = (path: string, body: unknown): LoadRequest => ({ method: 'PATCH', path, body: JSON.stringify(body) });
export const get = (path: string): LoadRequest => ({ method: 'GET', path });

/** `userName eq` of seeded user n (upper case: SCIM compares userName case-insensitively). */
export const filterPath = (n: number) => `/Users?filter=${encodeURIComponent(`userName eq "SEED${n}"`)}`;
export const listPath = (startIndex: number) => `/Users?startIndex=${startIndex}&count=100`;
