/**
 * The door-neutral account model: the one definition of an account's profile fields, which doors may
 * speak about them, and who owns each one. Claim mapping (lib/jit), SCIM input (lib/scim), rule
 * attributes (lib/policy), SQL column lists (db/queries) and audit diffs (lib/lifecycle) all derive
 * from here. Pure: no imports, so every layer may use it.
 */

/**
 * The doors through which the world tells Roster about a person: sign-in claims (`jit`), SCIM pushes
 * (`scim`), an administrator (`admin`, console or CLI) and an HR export (`hr`).
 */
export const doors = ['jit', 'scim', 'admin', 'hr'] as const;
export type Door = (typeof doors)[number];

/**
 * Whose word wins on a field another door set. The directories an organization provisions from
 * (SCIM, HR) own what they send; an administrator's edit stands against sign-ins; a sign-in fills
 * what nobody else owns. Equal authority: the latest writer wins.
 */
const authority: Record<Door, number> = { jit: 1, admin: 2, scim: 3, hr: 3 };

/** Whether `door` may overwrite a field whose owner is `owner` (no owner: anyone). */
export function mayWrite(door: Door, owner: Door | undefined): boolean {
  return owner === undefined || authority[door] >= authority[owner];
}

type FieldDefinition = {
  label: string;
  /** Where the field lives in a SCIM User (RFC 7643 §4.1, and the Enterprise extension §4.3). */
  scim: string;
};

/** The profile fields: text columns of `accounts` with these (camelCase) names. */
export const profileFieldDefinitions = {
  userName: { label: 'User name', scim: 'userName' },
  email: { label: 'Email', scim: 'emails[primary eq true].value' },
  displayName: { label: 'Display name', scim: 'displayName' },
  givenName: { label: 'Given name', scim: 'name.givenName' },
  familyName: { label: 'Family name', scim: 'name.familyName' },
  department: { label: 'Department', scim: 'enterprise:department' },
  title: { label: 'Title', scim: 'title' },
  employeeNumber: { label: 'Employee number', scim: 'enterprise:employeeNumber' },
  manager: { label: 'Manager', scim: 'enterprise:manager.value' },
} as const satisfies Record<string, FieldDefinition>;

export type ProfileField = keyof typeof profileFieldDefinitions;
export const profileFields = Object.keys(profileFieldDefinitions) as ProfileField[];
export type Profile = Record<ProfileField, string | null>;

export function isProfileField(name: string): name is ProfileField {
  return Object.hasOwn(profileFieldDefinitions, name);
}

/**
 * What can be owned besides the profile fields: `groups`, the groups rules see (a sign-in's group
 * claim, or the SCIM groups once SCIM sends this account's memberships), and `extraAttributes`
 * (custom attributes from claims or HR columns), and `endsAt`, the account's end date (contractors).
 */
export type OwnedField = ProfileField | 'groups' | 'extraAttributes' | 'endsAt';
/** Who set each field with authority; a field absent from the map is nobody's. */
export type FieldOwners = Partial<Record<OwnedField, Door>>;

/**
 * What a door says about a person, already validated and mapped by that door. Every door (a login's
 * claims, a SCIM User, an admin's form, an HR row) maps its input to this and calls the same
 * lifecycle commands. A profile field absent from `profile` says nothing; `null` clears it.
 */
export type AccountInput = {
  door: Door;
  profile: Partial<Profile>;
  /** Custom attributes (rules see them as `extra.<name>`); merged into what the account has. */
  extraAttributes?: Record<string, string | string[]>;
  /** The groups a sign-in carried (group names or ids as the IdP sends them). */
  groups?: string[];
  /** The directory's own id for this person (SCIM externalId). */
  externalId?: string | null;
  /** The directory's word on whether the person is active; absent: leave the status alone. */
  active?: boolean;
  /**
   * The account's end date (contractors): after it the end-date job suspends the account. Absent
   * says nothing; null clears it. Owned like a profile field (a sign-in never overwrites SCIM's).
   * Claims map it as `endsAt`; SCIM sends it as `endDate` of the Roster User extension
   * (lib/scim/user-resource.ts: ROSTER_USER_SCHEMA).
   */
  endsAt?: Date | null;
  /** SCIM only: the rest of the resource as sent (emails, phone numbers, addresses…). */
  scimAttributes?: Record<string, unknown>;
};

/**
 * How a write treats what it does not mention. `merge`: each field the input names is written if it
 * changed (and the door may), and the door then owns it (a sign-in; a SCIM PATCH, whose input is
 * the patched resource). `replace`: the door sent the whole person, so it owns exactly what it sent,
 * and fields it owned and now omits are cleared and released (SCIM PUT, a POST that adopts).
 */
export type WriteMode = 'merge' | 'replace';
