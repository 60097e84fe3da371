import { describe, expect, it } from 'vitest';
import type { ScimUserRow } from '@/db/queries/scim-accounts';
import { compileTargets, fastPatcher } from './fast-patch';
import type { Json, JsonObject } from './normalize';
import { normalizeUserPatch, type PatchOperation } from './normalize-patch';
import { applyPatchWithScimmy, userDefinition } from './schemas';
import { ENTERPRISE_SCHEMA, PATCH_SCHEMA } from './scimmy';
import { toScimAccountInput, toScimUser } from './user-resource';

/**
 * The fast path never answers differently from scimmy: for every PATCH it takes, the account write
 * gets what scimmy's PatchOp.apply gives (toScimAccountInput of both: profile, status, externalId,
 * end date, the SCIM attributes kept), and "nothing changed" exactly when scimmy says so. Checked on
 * the IdPs' own messages and on thousands of generated ones; whatever it declines goes to scimmy.
 */
const fast = fastPatcher(userDefinition);
const baseUrl = 'https://roster.example.com/api/scim/v2';

let seed = 7;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const maybe = <T>(x: T, p = 0.5): T | null => (rand() < p ? x : null);

const WORDS = ['Ada', 'Lovelace', 'Engineering', 'Sales', ' padded ', 'Zoë', '名前', 'a', 'Ünïcödé', 'x'.repeat(300), 'Same', 'tab\there', 'CEO'];

function row(i: number): ScimUserRow {
  const at = new Date(Date.UTC(2026, 0, 1 + (i % 200)));
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    organizationId: '00000000-0000-4000-8000-000000000000',
    status: pick(['active', 'suspended', 'active'] as const),
    userName: `user${i}@example.com`,
    email: maybe(`user${i}@example.com`, 0.7),
    displayName: maybe(pick(WORDS)),
    givenName: maybe(pick(WORDS)),
    familyName: maybe(pick(WORDS)),
    department: maybe(pick(WORDS)),
    title: maybe(pick(WORDS)),
    employeeNumber: maybe(String(1000 + i)),
    manager: maybe('26118915-6090-4610-87e4-49d8ca9f808d', 0.3),
    version: 1 + (i % 5),
    createdAt: at,
    updatedAt: at,
    externalId: maybe(`ext-${i}`),
    scimAttributes: pick([{}, { nickName: 'Nick', name: { middleName: 'M' } }, { enterprise: { costCenter: 'CC1', managerDisplayName: 'Boss' } }, { userType: 'Employee', locale: 'en-US' }]),
    endsAt: maybe(new Date(Date.UTC(2027, 5, 1)), 0.2),
  } as ScimUserRow;
}

const targets = [...compileTargets(userDefinition).entries()];
const stringPaths = targets.filter(([, t]) => t.type === 'string').map(([p]) => p);
const OTHER_PATHS = ['emails[type eq "work"].value', 'name', `${ENTERPRISE_SCHEMA}:manager`, 'phoneNumbers', 'addresses[type eq "work"].locality', 'emails'];

function operation(resource: JsonObject): PatchOperation {
  const r = rand();
  if (r < 0.15) return { op: 'replace', path: 'active', value: rand() < 0.5 };
  if (r < 0.2) return { op: 'remove', path: pick(stringPaths) };
  if (r < 0.27) return { op: 'replace', path: pick(OTHER_PATHS), value: pick(['x', 'work', { value: 'v' }, [{ value: 'a@example.com', type: 'work' }]] as Json[]) };
  if (r < 0.3) return { op: 'replace', path: pick(stringPaths), value: pick([12, true, '', null, ['a']] as Json[]) };
  const path = pick(stringPaths);
  // Often the value it already has: scimmy then says nothing changed.
  const [parent, key] = path.includes(':') && path.startsWith('urn:') ? [ENTERPRISE_SCHEMA, path.slice(ENTERPRISE_SCHEMA.length + 1)] : path.includes('.') ? path.split('.') : [null, path];
  const holder = (parent ? resource[parent!] : resource) as JsonObject | undefined;
  const current = holder && typeof holder === 'object' ? holder[key!] : undefined;
  return { op: rand() < 0.8 ? 'replace' : 'add', path, value: typeof current === 'string' && rand() < 0.4 ? current : pick(WORDS) };
}

type Outcome = 'fast' | 'declined';

async function compare(resource: JsonObject, operations: PatchOperation[]): Promise<Outcome> {
  const got = fast(structuredClone(resource), operations);
  if (got === undefined) return 'declined';
  let expected: JsonObject | null;
  try {
    expected = await applyPatchWithScimmy('User', structuredClone(resource), structuredClone(operations));
  } catch (error) {
    throw new Error(`scimmy refused what the fast path took: ${JSON.stringify(operations)}: ${String(error)}`);
  }
  expect({ operations, changed: got !== null }).toEqual({ operations, changed: expected !== null });
  if (got && expected) {
    expect({ operations, input: toScimAccountInput(got, { complete: true }) }).toEqual({ operations, input: toScimAccountInput(expected, { complete: true }) });
    expect({ operations, active: got.active }).toEqual({ operations, active: expected.active });
  }
  return 'fast';
}

describe('fast PATCH (scimmy PatchOp.apply for single-valued replace/add)', () => {
  it('takes exactly the read-write singular string and boolean paths', () => {
    const paths = targets.map(([p]) => p);
    expect(paths).toEqual(expect.arrayContaining(['active', 'displayName', 'title', 'name.givenName', 'name.familyName', `${ENTERPRISE_SCHEMA}:department`, `${ENTERPRISE_SCHEMA}:employeeNumber`]));
    // Not: multi-valued, complex, read-only, canonical-valued or reference attributes.
    for (const not of ['id', 'emails', 'groups', 'name', 'meta', `${ENTERPRISE_SCHEMA}:manager`, 'profileUrl', 'password']) expect(paths).not.toContain(not);
  });

  it("answers Okta's deactivate and Entra's multi-op replace as scimmy does", async () => {
    const resource = toScimUser({ ...row(1), status: 'active' } as ScimUserRow, [], baseUrl);
    const okta = normalizeUserPatch(userDefinition, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active: false } }] }, resource);
    expect(await compare(resource, okta)).toBe('fast');
    const entra = normalizeUserPatch(
      userDefinition,
      {
        schemas: [PATCH_SCHEMA],
        Operations: [
          { op: 'Replace', path: 'displayName', value: 'Ada Lovelace' },
          { op: 'Replace', path: 'title', value: 'Engineer' },
          { op: 'Replace', path: 'name.givenName', value: 'Ada' },
          { op: 'Replace', path: `${ENTERPRISE_SCHEMA}:department`, value: 'Research' },
          { op: 'Replace', path: 'active', value: 'False' },
        ],
      },
      resource,
    );
    expect(await compare(resource, entra)).toBe('fast');
    // Again: nothing changes, for both.
    const again = normalizeUserPatch(userDefinition, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'userName', value: resource.userName }] }, resource);
    expect(await compare(resource, again)).toBe('fast');
    expect(fast(resource, again)).toBeNull();
  });

  it('agrees with scimmy on 4,000 generated PATCHes, and leaves the rest to it', async () => {
    const tally = { fast: 0, declined: 0 };
    for (let i = 0; i < 4000; i++) {
      const resource = toScimUser(row(i), [], baseUrl);
      const operations = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => operation(resource));
      tally[await compare(resource, operations)]++;
    }
    // The corpus exercises both sides.
    expect(tally.fast).toBeGreaterThan(1500);
    expect(tally.declined).toBeGreaterThan(500);
  });
});
