import type { AccountGroup, ScimUserRow } from '@/db/queries/scim-accounts';
import { profileFields, type AccountInput, type Profile } from '@/lib/model/account';
import { endDateOfBody, endDateOrThrow } from './end-date';
import { checkLength, MAX_IDENTIFIER_BYTES, MAX_TEXT_BYTES } from './limits';
import { isObject, type Json, type JsonObject } from './normalize';
import { badRequest } from './scim-error';
import { ENTERPRISE_SCHEMA, ROSTER_USER_SCHEMA, USER_SCHEMA } from './scimmy';

/** Account row ⇄ SCIM User. Columns hold what Roster uses; the rest of what the IdP sent lives in `scimAttributes`. */

const CORE_HANDLED = new Set(['schemas', 'id', 'externalId', 'meta', 'userName', 'displayName', 'title', 'active', 'name', 'groups', 'password', ENTERPRISE_SCHEMA, ROSTER_USER_SCHEMA]);
const NAME_HANDLED = new Set(['givenName', 'familyName']);
const ENTERPRISE_HANDLED = new Set(['department', 'employeeNumber', 'manager']);

export const etagOf = (version: number) => `W/"${version}"`;

/** A profile column's value; identifiers (indexed, matched on) have the tighter limit (limits.ts). */
function text(value: Json | undefined, attribute: string, limit = MAX_TEXT_BYTES): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'string') throw badRequest('invalidValue', `${attribute} must be a string`);
  return checkLength(value, attribute, limit);
}

/** The Roster extension's `endDate` (end-date.ts). Absent: says nothing (null when the User is a PATCH's whole resource: removed). */
function endDateOf(user: JsonObject, complete: boolean): Date | null | undefined {
  return endDateOrThrow(endDateOfBody(user)) ?? (complete ? null : undefined);
}

/** Every email is a possible primary (the indexed account email) and a matching key. */
function checkEmails(emails: Json | undefined): void {
  if (!Array.isArray(emails)) return;
  for (const email of emails) if (isObject(email) && typeof email.value === 'string') checkLength(email.value, 'emails.value', MAX_IDENTIFIER_BYTES);
}

function omit(object: JsonObject | undefined, keys: Set<string>): JsonObject {
  return Object.fromEntries(Object.entries(object ?? {}).filter(([k]) => !keys.has(k)));
}

/** The primary email, else the work one, else the first; lowercased as Roster matches emails. */
export function primaryEmail(emails: Json | undefined): string | null | undefined {
  if (emails === undefined) return undefined;
  const list = Array.isArray(emails) ? emails.filter(isObject) : [];
  const chosen = list.find((e) => e.primary === true) ?? list.find((e) => e.type === 'work') ?? list[0];
  return typeof chosen?.value === 'string' ? chosen.value.toLowerCase() : null;
}

/** What a SCIM write says about a person: the door-neutral input (lib/model/account.ts) with a user name. */
export type ScimAccountInput = AccountInput & { door: 'scim'; profile: Partial<Profile> };

/**
 * A validated SCIM User (from schemas.ts) → the door-neutral input. Attributes the User lacks say
 * nothing (a POST or PUT), unless `complete`: the User is the whole patched resource of a PATCH,
 * so what it lacks was removed (null), and `externalId` too.
 */
export function toScimAccountInput(user: JsonObject, options: { complete?: boolean } = {}): ScimAccountInput {
  const name = isObject(user.name ?? null) ? (user.name as JsonObject) : undefined;
  const ent = isObject(user[ENTERPRISE_SCHEMA] ?? null) ? (user[ENTERPRISE_SCHEMA] as JsonObject) : undefined;
  const manager = isObject(ent?.manager ?? null) ? (ent!.manager as JsonObject) : undefined;
  const profile: Partial<Profile> = {
    userName: text(user.userName, 'userName', MAX_IDENTIFIER_BYTES),
    displayName: text(user.displayName, 'displayName'),
    title: text(user.title, 'title'),
    givenName: text(name?.givenName, 'name.givenName'),
    familyName: text(name?.familyName, 'name.familyName'),
    email: primaryEmail(user.emails),
    department: text(ent?.department, 'department'),
    employeeNumber: text(ent?.employeeNumber, 'employeeNumber'),
    manager: manager ? text(manager.value, 'manager.value') : undefined,
  };
  checkEmails(user.emails);
  const extraName = omit(name, NAME_HANDLED);
  const extraEnterprise = omit(ent, ENTERPRISE_HANDLED);
  if (manager?.displayName !== undefined) extraEnterprise.managerDisplayName = manager.displayName;
  const scimAttributes: JsonObject = omit(user, CORE_HANDLED);
  if (Object.keys(extraName).length) scimAttributes.name = extraName;
  if (Object.keys(extraEnterprise).length) scimAttributes.enterprise = extraEnterprise;
  const externalId = text(user.externalId, 'externalId', MAX_IDENTIFIER_BYTES);
  const sent: Partial<Profile> = {};
  for (const field of profileFields) {
    const value = profile[field];
    if (value !== undefined) sent[field] = value;
    else if (options.complete) sent[field] = null;
  }
  return {
    door: 'scim',
    profile: sent,
    endsAt: endDateOf(user, options.complete === true),
    externalId: externalId ?? (options.complete ? null : undefined),
    active: typeof user.active === 'boolean' ? user.active : undefined,
    scimAttributes,
  };
}

/** The object without its null and undefined members (a loop: this runs for every user of every list page). */
function defined(object: Record<string, Json | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const key in object) {
    const value = object[key];
    if (value !== null && value !== undefined) out[key] = value;
  }
  return out;
}

function emailsOf(account: ScimUserRow, stored: JsonObject): Json | undefined {
  if (Array.isArray(stored.emails) && stored.emails.length) return stored.emails;
  return account.email ? [{ value: account.email, type: 'work', primary: true }] : undefined;
}

function enterpriseOf(account: ScimUserRow, stored: JsonObject): JsonObject {
  const { managerDisplayName, ...rest } = isObject(stored.enterprise ?? null) ? (stored.enterprise as JsonObject) : {};
  const manager = account.manager ? defined({ value: account.manager, displayName: managerDisplayName ?? null }) : null;
  return defined({ ...rest, employeeNumber: account.employeeNumber, department: account.department, manager });
}

/** The SCIM User for an account as served (meta.location included), with its groups and meta. */
export function toScimUser(account: ScimUserRow, groups: AccountGroup[], baseUrl: string): JsonObject {
  const stored = (account.scimAttributes ?? {}) as JsonObject;
  const { name: storedName, enterprise: _enterprise, emails: _emails, ...rest } = stored;
  const name = defined({ ...(isObject(storedName ?? null) ? (storedName as JsonObject) : {}), givenName: account.givenName, familyName: account.familyName });
  const enterprise = enterpriseOf(account, stored);
  const roster = account.endsAt ? { endDate: account.endsAt.toISOString() } : null;
  return defined({
    schemas: [USER_SCHEMA, ...(Object.keys(enterprise).length ? [ENTERPRISE_SCHEMA] : []), ...(roster ? [ROSTER_USER_SCHEMA] : [])],
    id: account.id,
    externalId: account.externalId,
    userName: account.userName,
    ...rest,
    name: Object.keys(name).length ? name : null,
    displayName: account.displayName,
    title: account.title,
    active: account.status === 'active',
    emails: emailsOf(account, stored) ?? null,
    groups: groups.length ? groups.map((g) => ({ value: g.groupId, display: g.displayName, $ref: `${baseUrl}/Groups/${g.groupId}`, type: 'direct' })) : null,
    [ENTERPRISE_SCHEMA]: Object.keys(enterprise).length ? enterprise : null,
    [ROSTER_USER_SCHEMA]: roster,
    meta: { resourceType: 'User', created: account.createdAt.toISOString(), lastModified: account.updatedAt.toISOString(), version: etagOf(account.version), location: `${baseUrl}/Users/${account.id}` },
  });
}
