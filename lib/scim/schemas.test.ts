import { describe, expect, it } from 'vitest';
import type { Account, Group } from '@/db/schema';
import { toScimGroup } from './group-resource';
import { coerceOutput, parseUser, renderGroup } from './schemas';
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from './scimmy';
import { toScimAccountInput, toScimUser } from './user-resource';

const base = 'https://roster.example.com/api/scim/v2';
const now = new Date('2026-01-02T03:04:05.678Z');

/** What a full Entra/Okta user looks like after a round trip through the mapping. */
function roundTrip(body: Record<string, unknown>): Account {
  const input = toScimAccountInput(parseUser(body));
  return {
    id: '0d6f7a52-5a6c-4c8e-9a86-3c6c1a0f2b11',
    organizationId: 'org',
    status: input.active === false ? 'suspended' : 'active',
    source: 'scim',
    extraAttributes: {},
    version: 3,
    firstLoginAt: null,
    lastLoginAt: null,
    createdAt: now,
    updatedAt: now,
    deactivatedAt: null,
    scimManagedAt: now,
    fieldOwners: {},
    loginGroups: [],
    scimAttributes: input.scimAttributes ?? {},
    scimActive: input.active ?? null,
    securityHoldAt: null,
    securityHoldReason: null,
    securityHoldBy: null,
    purgedAt: null,
    lastActivityAt: null,
    endsAt: null,
    dormancyWarnedAt: null,
    dormancySuspendedAt: null,
    dormancyExempt: false,
    externalId: input.externalId ?? null,
    userName: input.profile.userName!,
    email: input.profile.email ?? null,
    displayName: input.profile.displayName ?? null,
    givenName: input.profile.givenName ?? null,
    familyName: input.profile.familyName ?? null,
    department: input.profile.department ?? null,
    title: input.profile.title ?? null,
    employeeNumber: input.profile.employeeNumber ?? null,
    manager: input.profile.manager ?? null,
  };
}

describe('rendered resources (served without scimmy\'s output coercion)', () => {
  const full = {
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
    userName: 'bjensen@example.com',
    externalId: 'bjensen',
    name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane', honorificPrefix: 'Ms.' },
    displayName: 'Babs Jensen',
    nickName: 'Babs',
    title: 'Tour Guide',
    userType: 'Employee',
    preferredLanguage: 'en-US',
    locale: 'en-US',
    timezone: 'America/Los_Angeles',
    active: true,
    emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }, { value: 'babs@jensen.org', type: 'home' }],
    phoneNumbers: [{ value: '555-555-5555', type: 'work' }],
    addresses: [{ type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'US', primary: true }],
    [ENTERPRISE_SCHEMA]: { employeeNumber: '701984', costCenter: '4130', organization: 'Universal Studios', division: 'Theme Park', department: 'Tour Operations', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' } },
  };

  it('a user keeps everything the IdP sent, and scimmy\'s User schema accepts it unchanged', () => {
    const rendered = toScimUser(roundTrip(full), [{ accountId: 'x', groupId: '9c7cdd40-0a4c-4d49-bb5c-5bbf1b8f1a10', displayName: 'Tour Guides' }], base);
    expect(rendered).toMatchObject({ ...full, id: expect.any(String), meta: { resourceType: 'User', version: 'W/"3"', location: expect.stringContaining('/Users/') } });
    expect(coerceOutput('User', rendered, base)).toEqual(rendered);
  });

  it('a minimal user and a group are valid too', () => {
    const minimal = toScimUser(roundTrip({ schemas: [USER_SCHEMA], userName: 'min' }), [], base);
    expect(coerceOutput('User', minimal, base)).toEqual(minimal);
    const group = { id: '9c7cdd40-0a4c-4d49-bb5c-5bbf1b8f1a10', organizationId: 'org', displayName: 'Tour Guides', externalId: 'g-1', roleId: null, version: 2, createdAt: now, updatedAt: now } as Group;
    const rendered = renderGroup(toScimGroup(group, [{ groupId: group.id, accountId: '0d6f7a52-5a6c-4c8e-9a86-3c6c1a0f2b11', userName: 'bjensen', displayName: 'Babs' }], base), base);
    expect(coerceOutput('Group', rendered, base)).toEqual(rendered);
  });
});
