import { z } from 'zod';

/** A person in the demo directory. `sub` is an immutable id (never the email); the rest may change. */
export type DemoUser = {
  sub: string;
  username: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  department: string;
  title: string;
  employeeNumber: string;
  groups: string[];
};

export const DEMO_CLIENT_ID = 'roster-demo';
export const DEMO_PASSWORD = 'demo';

export const DEMO_USERS: readonly DemoUser[] = [
  {
    sub: '6f1c2b0e-0a5d-4c8e-9a51-0d6e2a1c0001',
    username: 'alice',
    name: 'Alice Anders',
    givenName: 'Alice',
    familyName: 'Anders',
    email: 'alice@acme.test',
    department: 'Engineering',
    title: 'Staff Engineer',
    employeeNumber: 'E1001',
    groups: ['staff', 'roster-admins'],
  },
  {
    sub: '6f1c2b0e-0a5d-4c8e-9a51-0d6e2a1c0002',
    username: 'bob',
    name: 'Bob Baker',
    givenName: 'Bob',
    familyName: 'Baker',
    email: 'bob@acme.test',
    department: 'Sales',
    title: 'Account Executive',
    employeeNumber: 'E1002',
    groups: ['staff'],
  },
  {
    sub: '6f1c2b0e-0a5d-4c8e-9a51-0d6e2a1c0003',
    username: 'carol',
    name: 'Carol Chen',
    givenName: 'Carol',
    familyName: 'Chen',
    email: 'carol@acme.test',
    department: 'Finance',
    title: 'Controller',
    employeeNumber: 'E1003',
    groups: ['staff'],
  },
  {
    sub: '6f1c2b0e-0a5d-4c8e-9a51-0d6e2a1c0004',
    username: 'dave',
    name: 'Dave Diaz',
    givenName: 'Dave',
    familyName: 'Diaz',
    email: 'dave@acme.test',
    department: 'Finance',
    title: 'Analyst',
    employeeNumber: 'E1004',
    groups: ['staff'],
  },
  {
    sub: '6f1c2b0e-0a5d-4c8e-9a51-0d6e2a1c0005',
    username: 'erin',
    name: 'Erin Evans',
    givenName: 'Erin',
    familyName: 'Evans',
    email: 'erin@acme.test',
    department: 'Engineering',
    title: 'QA Engineer',
    employeeNumber: 'E1005',
    groups: ['staff'],
  },
  {
    sub: '6f1c2b0e-0a5d-4c8e-9a51-0d6e2a1c0006',
    username: 'frank',
    name: 'Frank Fischer',
    givenName: 'Frank',
    familyName: 'Fischer',
    email: 'frank@acme.test',
    department: 'Support',
    title: 'Support Lead',
    employeeNumber: 'E1006',
    groups: ['staff'],
  },
];

/** The claims the IdP releases for a user, by their OIDC names. */
export function toClaims(user: DemoUser) {
  return {
    sub: user.sub,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    // Like Entra ID's UPN: the sign-in name is the email address.
    preferred_username: user.email,
    email: user.email,
    email_verified: true,
    department: user.department,
    title: user.title,
    employee_number: user.employeeNumber,
    groups: [...user.groups],
  };
}

export type DemoUserPatch = Partial<Omit<DemoUser, 'sub' | 'username'>>;

const text = z.string().trim().min(1).max(200);

/** The body of PATCH /demo/users/:username: camelCase fields or their claim names. */
export const demoUserPatchSchema = z
  .strictObject({
    name: text,
    givenName: text,
    given_name: text,
    familyName: text,
    family_name: text,
    email: z.email(),
    department: text,
    title: text,
    employeeNumber: text,
    employee_number: text,
    groups: z.array(text).max(100),
  })
  .partial()
  .transform(({ given_name, family_name, employee_number, ...rest }): DemoUserPatch => {
    const patch: DemoUserPatch = { ...rest };
    if (given_name !== undefined) patch.givenName = given_name;
    if (family_name !== undefined) patch.familyName = family_name;
    if (employee_number !== undefined) patch.employeeNumber = employee_number;
    if (patch.email) patch.email = patch.email.toLowerCase();
    return patch;
  });

/** The live directory: keyed by username, looked up by username or sub. */
export class DemoDirectory {
  readonly users = new Map<string, DemoUser>();

  constructor(users: readonly DemoUser[]) {
    for (const user of users) this.users.set(user.username, structuredClone(user));
  }

  find(usernameOrSub: string): DemoUser | undefined {
    return this.users.get(usernameOrSub) ?? [...this.users.values()].find((u) => u.sub === usernameOrSub);
  }

  /** A login_hint is an email address or a username. */
  findByHint(hint: string): DemoUser | undefined {
    const wanted = hint.trim().toLowerCase();
    return [...this.users.values()].find((u) => u.email === wanted || u.username === wanted);
  }

  update(usernameOrSub: string, patch: DemoUserPatch): DemoUser {
    const user = this.find(usernameOrSub);
    if (!user) throw new Error(`No demo user ${usernameOrSub}`);
    const { sub, username } = user;
    Object.assign(user, structuredClone(patch), { sub, username });
    return user;
  }
}
