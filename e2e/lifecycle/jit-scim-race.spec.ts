import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { expect, test } from '../fixtures';
import { accountsPerPerson, openE2eDb } from '../fixtures/e2e-db';
import type { SamlLoginOutcome } from '../fixtures/saml-http-login';
import { createSamlTenant, type SamlTenant } from '../fixtures/saml-tenant';
import type { ScimAnswer } from '../fixtures/scim-client';

/**
 * A person's first SSO sign-in and the IdP's SCIM push of that person arrive at the same moment on
 * two app instances. Whatever the interleaving, lib/lifecycle/identity/find-person.ts makes them one
 * account: SCIM adopts a JIT account not yet SCIM-managed (answered 201 as created), or the
 * sign-in links to the SCIM account by externalId = NameID. The sign-in must succeed, SCIM must
 * answer 201, and the organization must hold exactly one account for the person.
 *
 * E2E_RACE_TRIES (default 50) tries per variant, each with a fresh person. The ACS does more work
 * before its first write than SCIM (signature, replay, InResponseTo: about 25 ms), so the SCIM
 * request is held back by 0, 10, 20, 30 or 40 ms in turn (E2E_RACE_SCIM_DELAY_MS fixes one value):
 * the writes then meet in every order. Without the person lock (db/queries/person-locks.ts made a
 * no-op), 11, 9, 6 and 4 of 50 tries per variant made two accounts or refused the sign-in.
 */

const TRIES = Number(process.env.E2E_RACE_TRIES ?? 50);
const FIXED_DELAY_MS = process.env.E2E_RACE_SCIM_DELAY_MS === undefined ? null : Number(process.env.E2E_RACE_SCIM_DELAY_MS);
const scimDelay = (n: number) => FIXED_DELAY_MS ?? (n % 5) * 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DOMAIN = 'race.test';
const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const instances = () => ({ 1: process.env.E2E_APP_URL!, 2: process.env.E2E_APP2_URL! });

type Variant = { name: string; tag: string; sameUserName: boolean; signInAt: 1 | 2 };
type Person = { subject: string; ssoUserName: string; scimUserName: string; email: string };
/** What each request answered, and after how many ms from the common start. */
type Outcome<T> = (T & { ms: number }) | { kind: 'error'; message: string };
type Try = { person: Person; login: Outcome<SamlLoginOutcome>; push: Outcome<ScimAnswer> };

const variants: Variant[] = [
  { name: 'SCIM userName differs, sign-in on instance 1, SCIM on instance 2', tag: 'd12', sameUserName: false, signInAt: 1 },
  { name: 'SCIM userName differs, sign-in on instance 2, SCIM on instance 1', tag: 'd21', sameUserName: false, signInAt: 2 },
  { name: 'equal user names, sign-in on instance 1, SCIM on instance 2', tag: 'e12', sameUserName: true, signInAt: 1 },
  { name: 'equal user names, sign-in on instance 2, SCIM on instance 1', tag: 'e21', sameUserName: true, signInAt: 2 },
];

let tenant: SamlTenant;
let sql: postgres.Sql;

test.beforeAll(async () => {
  tenant = await createSamlTenant({ slugPrefix: 'race', domain: DOMAIN });
  sql = openE2eDb();
});
test.afterAll(async () => sql?.end({ timeout: 5 }));

function person(variant: Variant, n: number): Person {
  const subject = `race-${variant.tag}-${n}-${randomBytes(4).toString('hex')}`;
  const ssoUserName = `${subject}@${DOMAIN}`;
  return { subject, ssoUserName, scimUserName: variant.sameUserName ? ssoUserName : `${subject}.scim@${DOMAIN}`, email: ssoUserName };
}

const caught = (error: unknown) => ({ kind: 'error' as const, message: error instanceof Error ? error.message : String(error) });
const timed = (took: () => number) => <T extends object>(value: T) => ({ ...value, ms: took() });

/** Both requests prepared first (login started and signed, SCIM body built), then fired together. */
async function race(variant: Variant, p: Person, delayMs: number): Promise<Try> {
  const apps = instances();
  const scimAt = apps[variant.signInAt === 1 ? 2 : 1];
  const attributes = { email: p.email, username: p.ssoUserName, givenName: 'Race', surname: p.subject };
  const login = await tenant.saml.prepare(apps[variant.signInAt], { nameId: p.subject, nameIdFormat: PERSISTENT, attributes });
  const scim = tenant.scim.at(scimAt);
  const joiner = { userName: p.scimUserName, externalId: p.subject, email: p.email, givenName: 'Race', familyName: p.subject };
  const start = performance.now();
  const took = () => Math.round(performance.now() - start);
  const [signedIn, pushed] = await Promise.all([
    login.post().then(timed(took), caught),
    (delayMs > 0 ? sleep(delayMs).then(() => scim.createUser(joiner)) : scim.createUser(joiner)).then(timed(took), caught),
  ]);
  return { person: p, login: signedIn, push: pushed };
}

function failureOf(t: Try, accounts: number): string | null {
  const problems: string[] = [];
  if (accounts !== 1) problems.push(`${accounts} accounts`);
  if (t.login.kind === 'error') problems.push(`sign-in failed: ${t.login.message}`);
  else if (t.login.kind === 'refused') problems.push(`sign-in refused: ${t.login.reason}`);
  else if (t.login.location.pathname !== '/me') problems.push(`sign-in landed on ${t.login.location}`);
  if ('kind' in t.push) problems.push(`SCIM failed: ${t.push.message}`);
  else if (t.push.status !== 201) problems.push(`SCIM ${t.push.status}: ${JSON.stringify(t.push.body).slice(0, 160)}`);
  const ms = (o: Outcome<object>) => ('ms' in o ? `${o.ms} ms` : '-');
  return problems.length ? `${t.person.subject}: ${problems.join('; ')} (ACS ${ms(t.login)}, SCIM ${ms(t.push)})` : null;
}

for (const variant of variants) {
  test(`a first sign-in and the SCIM push of one person at the same moment make one account (${variant.name})`, async () => {
    test.setTimeout(120_000);
    const started = Date.now();
    const tries: Try[] = [];
    for (let n = 0; n < TRIES; n++) tries.push(await race(variant, person(variant, n), scimDelay(n)));
    const people = tries.map(({ person: p }) => ({ subject: p.subject, email: p.email, userNames: [p.ssoUserName, p.scimUserName] }));
    const counts = await accountsPerPerson(sql, tenant.organizationId, people);
    const failures = tries.map((t) => failureOf(t, counts.get(t.person.subject) ?? 0)).filter((f): f is string => f !== null);
    const summary = `${variant.name}: ${failures.length} of ${TRIES} tries failed (${((Date.now() - started) / 1000).toFixed(1)} s)`;
    test.info().annotations.push({ type: 'race', description: summary });
    console.log([summary, ...failures.map((f) => `  ${f}`)].join('\n'));
    expect(failures, summary).toEqual([]);
  });
}
