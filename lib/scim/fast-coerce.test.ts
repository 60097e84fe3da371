import { describe, expect, it } from 'vitest';
import { entraCreateUser, oktaCreateUser } from '@/lib/testing/idp-requests';
import { compileInboundCoercer } from './fast-coerce';
import { normalizeGroupBody, normalizeUserBody, type Json, type JsonObject } from './normalize';
import { parseGroup, parseUser } from './schemas';
import { ENTERPRISE_SCHEMA, GROUP_SCHEMA, SCIMMY, USER_SCHEMA } from './scimmy';

/**
 * The fast path must never answer differently from scimmy: for every body it accepts, its result is
 * scimmy's own `definition.coerce(body, 'in')` (as JSON), key order included; every body scimmy
 * refuses, it leaves to scimmy. Checked on the IdPs' real bodies and on thousands of generated ones.
 */
const { Schemas } = SCIMMY;
const userFast = compileInboundCoercer(Schemas.User.definition);
const groupFast = compileInboundCoercer(Schemas.Group.definition);

type Verdict = { fast: 'accepted' | 'declined'; scimmy: 'accepted' | 'refused' };

function compare(definition: typeof Schemas.User.definition, fast: (b: JsonObject) => JsonObject | null, body: JsonObject): Verdict {
  let expected: string | null;
  try {
    expected = JSON.stringify(definition.coerce(structuredClone(body), 'in'));
  } catch {
    expected = null;
  }
  const got = fast(structuredClone(body));
  if (got !== null) {
    // Accepted: byte for byte scimmy's answer (never for a body scimmy refuses).
    expect({ body, result: JSON.stringify(got) }).toEqual({ body, result: expected });
  }
  return { fast: got ? 'accepted' : 'declined', scimmy: expected === null ? 'refused' : 'accepted' };
}

/** Entra's create, with the enterprise attributes it sends flat (its manager as a bare id). */
const entraUser: JsonObject = {
  ...entraCreateUser,
  [`${ENTERPRISE_SCHEMA}:department`]: 'Engineering',
  [`${ENTERPRISE_SCHEMA}:manager`]: '26118915-6090-4610-87e4-49d8ca9f808d',
};

const oktaUser: JsonObject = oktaCreateUser;

/** RFC 7643 §8.3, the full enterprise user (profileUrl, photos and x509 are references/binary: scimmy's). */
const rfcUser: JsonObject = {
  schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
  externalId: '701984',
  userName: 'bjensen@example.com',
  name: { formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane', honorificPrefix: 'Ms.', honorificSuffix: 'III' },
  displayName: 'Babs Jensen',
  nickName: 'Babs',
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  addresses: [{ type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA', formatted: '100 Universal City Plaza\nHollywood, CA 91608 USA', primary: true }],
  phoneNumbers: [
    { value: '555-555-5555', type: 'work' },
    { value: '555-555-4444', type: 'mobile' },
  ],
  ims: [{ value: 'someaimhandle', type: 'aim' }],
  userType: 'Employee',
  title: 'Tour Guide',
  preferredLanguage: 'en-US',
  locale: 'en-US',
  timezone: 'America/Los_Angeles',
  active: true,
  [ENTERPRISE_SCHEMA]: {
    employeeNumber: '701984',
    costCenter: '4130',
    organization: 'Universal Studios',
    division: 'Theme Park',
    department: 'Tour Operations',
    manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
  },
};

const benchUser: JsonObject = {
  schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
  userName: 'post-1',
  externalId: 'ext-post-1',
  active: true,
  name: { givenName: 'Bench', familyName: 'post-1' },
  emails: [{ value: 'post-1@scim.bench.test', type: 'work', primary: true }],
  [ENTERPRISE_SCHEMA]: { department: 'Engineering' },
};

describe('fast inbound coercion', () => {
  it('takes the IdPs’ own create bodies, normalized, and answers exactly as scimmy', () => {
    for (const body of [entraUser, oktaUser, rfcUser, benchUser]) {
      expect(compare(Schemas.User.definition, userFast, normalizeUserBody(structuredClone(body), USER_SCHEMA))).toEqual({ fast: 'accepted', scimmy: 'accepted' });
    }
    const oktaGroup = { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: 'a', display: 'A' }] };
    expect(compare(Schemas.Group.definition, groupFast, normalizeGroupBody(structuredClone(oktaGroup), GROUP_SCHEMA))).toEqual({ fast: 'accepted', scimmy: 'accepted' });
  });

  it('leaves to scimmy what it cannot vouch for', () => {
    const declined = (body: JsonObject) => expect(userFast(body)).toBeNull();
    declined({ userName: 'a', USERNAME: 'b' }); // case variants: scimmy merges them
    declined({ userName: 'a', name: { GivenName: 'b' } });
    declined({ userName: 'a', unknown: 1 }); // scimmy drops unknown attributes
    declined({ userName: 'a', profileUrl: 'https://x.test/a' }); // references are parsed as URLs
    declined({ userName: 'a', emails: [{ value: 'a@x.test', type: 'Work' }] }); // non-canonical
    declined({ userName: 'a', roles: [{ value: 'r', type: 'x' }] }); // roles.type: no canonical value at all
    declined({ userName: 'a', active: 'true' });
    declined({ userName: 1 });
    declined({ displayName: 'no userName' });
    declined({ userName: 'a', [ENTERPRISE_SCHEMA]: {} });
    declined({ userName: 'a', schemas: [USER_SCHEMA, 'urn:other'] });
    declined({ userName: 'a', id: 'x' });
    declined({ userName: 'a', meta: { resourceType: 'User' } });
  });

  it('agrees with scimmy on thousands of generated bodies, raw and normalized', () => {
    const random = seeded(20261122);
    const tally = { accepted: 0, declinedButScimmyAccepted: 0, refused: 0 };
    for (let i = 0; i < 4000; i++) {
      const body = generateUser(random);
      for (const candidate of [body, normalizeUserBody(structuredClone(body), USER_SCHEMA)]) {
        const verdict = compare(Schemas.User.definition, userFast, candidate);
        if (verdict.fast === 'accepted') tally.accepted++;
        else if (verdict.scimmy === 'accepted') tally.declinedButScimmyAccepted++;
        else tally.refused++;
      }
      const group = generateGroup(random);
      compare(Schemas.Group.definition, groupFast, group);
    }
    // Not vacuous: the generator reaches all three outcomes often.
    expect(tally.accepted).toBeGreaterThan(1000);
    expect(tally.declinedButScimmyAccepted).toBeGreaterThan(500);
    expect(tally.refused).toBeGreaterThan(500);
  });

  it('parseUser and parseGroup answer the same with or without it', () => {
    expect(parseUser(structuredClone(rfcUser))).toEqual(JSON.parse(JSON.stringify(Schemas.User.definition.coerce(normalizeUserBody(structuredClone(rfcUser), USER_SCHEMA), 'in'))));
    expect(() => parseUser({ userName: 'a', emails: [{ value: 'a@x.test', type: 'pager' }] })).toThrow(/non-canonical/);
    expect(() => parseGroup({ displayName: 'g', members: [{ value: 1 }] })).toThrow(/expected value type 'string'/);
  });
});

/** mulberry32: a small seeded generator, so a failure reproduces. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
type Sub = [name: string, kind: 'string' | 'boolean', canonical?: string[]];
const pick = <T,>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const chance = (r: Random, p: number) => r() < p;

/** Mostly right, sometimes wrong: a type, a case, an unknown key, a null. */
function scalar(r: Random, kind: 'string' | 'boolean'): Json {
  if (chance(r, 0.95)) return kind === 'string' ? pick(r, ['a', 'Bench', '', 'x y', 'work', 'home', 'ümlaut']) : pick(r, [true, false]);
  return pick<Json>(r, [1, 0, null, 'True', 'false', [], ['a'], {}, { value: 'a' }, true, 'work']);
}

function key(r: Random, name: string): string {
  if (chance(r, 0.97)) return name;
  return pick(r, [name.toLowerCase(), name.toUpperCase(), `${name}X`]);
}

function complexValue(r: Random, subs: Sub[]): Json {
  if (chance(r, 0.05)) return pick<Json>(r, ['a', 1, null, []]);
  const out: JsonObject = {};
  for (const [name, kind, canonical] of subs) {
    if (!chance(r, 0.6)) continue;
    out[key(r, name)] = canonical && chance(r, 0.8) ? pick(r, canonical) : scalar(r, kind);
  }
  if (chance(r, 0.05)) out.unknownSub = 'x';
  return out;
}

const multi = (r: Random, subs: Sub[]): Json => {
  if (chance(r, 0.05)) return complexValue(r, subs);
  return Array.from({ length: Math.floor(r() * 3) }, () => complexValue(r, subs));
};

function generateUser(r: Random): JsonObject {
  const body: JsonObject = {};
  const put = (name: string, value: () => Json, p = 0.5) => {
    if (chance(r, p)) body[key(r, name)] = value();
  };
  if (chance(r, 0.8)) body.schemas = pick<Json>(r, [[USER_SCHEMA], [USER_SCHEMA, ENTERPRISE_SCHEMA], [ENTERPRISE_SCHEMA, USER_SCHEMA], [USER_SCHEMA, USER_SCHEMA], ['urn:x'], 'bad', [USER_SCHEMA.toLowerCase()]]);
  put('userName', () => scalar(r, 'string'), 0.9);
  put('externalId', () => scalar(r, 'string'));
  for (const name of ['displayName', 'nickName', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone']) put(name, () => scalar(r, 'string'), 0.3);
  put('active', () => scalar(r, 'boolean'));
  put('name', () => complexValue(r, [['formatted', 'string'], ['familyName', 'string'], ['givenName', 'string'], ['middleName', 'string'], ['honorificPrefix', 'string']]));
  put('emails', () => multi(r, [['value', 'string'], ['display', 'string'], ['type', 'string', ['work', 'home', 'other', 'Work']], ['primary', 'boolean']]));
  put('phoneNumbers', () => multi(r, [['value', 'string'], ['type', 'string', ['work', 'mobile', 'fax', 'cell']], ['primary', 'boolean']]), 0.3);
  put('addresses', () => multi(r, [['streetAddress', 'string'], ['locality', 'string'], ['country', 'string'], ['type', 'string', ['work', 'home']], ['primary', 'boolean']]), 0.3);
  put('roles', () => multi(r, [['value', 'string'], ['display', 'string'], ['type', 'string', ['admin']], ['primary', 'boolean']]), 0.1);
  put('entitlements', () => multi(r, [['value', 'string'], ['type', 'string']]), 0.1);
  put('profileUrl', () => pick(r, ['https://x.test/u', 'not a url']), 0.05);
  put('groups', () => [], 0.05);
  put('password', () => 'secret', 0.05);
  put('id', () => 'abc', 0.03);
  put('meta', () => ({ resourceType: 'User' }), 0.05);
  put('unknownAttribute', () => 'x', 0.05);
  if (chance(r, 0.4)) {
    const ext = complexValue(r, [['employeeNumber', 'string'], ['costCenter', 'string'], ['department', 'string'], ['division', 'string']]);
    if (typeof ext === 'object' && ext && !Array.isArray(ext) && chance(r, 0.3)) ext.manager = pick<Json>(r, [{ value: 'm' }, { value: 'm', displayName: 'M' }, 'm', { value: 1 }, { $ref: 'https://x.test/Users/m' }]);
    body[chance(r, 0.9) ? ENTERPRISE_SCHEMA : ENTERPRISE_SCHEMA.toLowerCase()] = ext;
  }
  if (chance(r, 0.1)) body[`${ENTERPRISE_SCHEMA}:department`] = scalar(r, 'string');
  return body;
}

function generateGroup(r: Random): JsonObject {
  const body: JsonObject = {};
  if (chance(r, 0.8)) body.schemas = pick<Json>(r, [[GROUP_SCHEMA], ['urn:x'], [GROUP_SCHEMA, USER_SCHEMA]]);
  if (chance(r, 0.9)) body[key(r, 'displayName')] = scalar(r, 'string');
  if (chance(r, 0.4)) body.externalId = scalar(r, 'string');
  if (chance(r, 0.6)) body[key(r, 'members')] = multi(r, [['value', 'string'], ['display', 'string'], ['type', 'string', ['User', 'Group', 'user']]]);
  return body;
}
