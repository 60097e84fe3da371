/**
 * Create-user bodies exactly as the IdPs' own SCIM documentation shows them, shared by the tests
 * that replay those IdPs (scim-entra, scim-okta) and the ones that check parsing (fast-coerce).
 */

/** Microsoft Entra ID, "Develop and plan provisioning for a SCIM endpoint": Create User request. */
export const entraCreateUser = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
  active: true,
  emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
};

/** Okta, "SCIM 2.0 Protocol Reference": Create the user. */
export const oktaCreateUser = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: 'test.user@okta.local',
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId: '00ujl29u0le5T6Aj10h7',
  groups: [],
  password: '1mz050nq',
  active: true,
};

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * SCIM PATCH bodies as the IdPs send them, by name, for tests that play joiners, movers and
 * leavers. Entra capitalises `op` and sends booleans as strings; Okta sends a bare value object.
 */
export const scimPatches = {
  /** Entra ID leaver: "Replace" active with the string "False". */
  entraDeactivate: { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
  /** Entra ID rehire: "Replace" active with the string "True". */
  entraReactivate: { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] },
  /** Okta deactivate: a path-less replace of { active: false }. */
  oktaDeactivate: { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] },
  /** Okta reactivate. */
  oktaReactivate: { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] },
  /** Entra ID mover: a new title and department (enterprise extension path). */
  entraMover: (title: string, department: string) => ({
    schemas: [PATCH_OP],
    Operations: [
      { op: 'Replace', path: 'title', value: title },
      { op: 'Replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: department },
    ],
  }),
  /** A PATCH that changes only the title (and says nothing of `active`). */
  setTitle: (title: string) => ({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: title }] }),
};
