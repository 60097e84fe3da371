import SCIMMY from 'scimmy';
import { MAX_BODY_BYTES, MAX_RESULTS } from './limits';

/**
 * scimmy is a process-wide singleton: its resource registry and service provider config are set up
 * once here. Roster uses it for schemas (coercion, attribute selection, /Schemas), PatchOp and
 * ListResponse messages; routing, filters (as SQL) and storage are Roster's own.
 */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/**
 * Roster's own User extension, for what neither the core nor the enterprise schema has: `endDate`,
 * the account's end date (contractors; RFC 7643 dateTime). IdPs send it as a custom attribute with
 * this URN (Entra: `urn:ietf:params:scim:schemas:extension:roster:2.0:User:endDate`; Okta: a
 * custom attribute with this external namespace). Optional: a User without it says nothing.
 */
export const ROSTER_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:roster:2.0:User';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

// The service's limits live in limits.ts; these two are also part of ServiceProviderConfig.
export { MAX_BODY_BYTES, MAX_RESULTS } from './limits';

const { Resources, Schemas, Config, Types } = SCIMMY;

const rosterUserDefinition = new Types.SchemaDefinition('RosterUser', ROSTER_USER_SCHEMA, 'Roster account settings', [
  new Types.Attribute('dateTime', 'endDate', { description: 'When the account ends (contractors): after it Roster suspends the account and ends its sessions.' }),
]);
/** The extension as a scimmy Schema class (what Resources.User.extend takes), like Schemas.EnterpriseUser. */
class RosterUser extends Types.Schema {
  static override get id() {
    return ROSTER_USER_SCHEMA;
  }
  static override get definition() {
    return rosterUserDefinition;
  }
}

if (!Resources.declared('User')) {
  Resources.User.extend(Schemas.EnterpriseUser, false);
  Resources.declare(Resources.User.extend(RosterUser, false));
  Resources.declare(Resources.Group);
  Config.set({
    documentationUri: 'https://github.com/roster/roster#scim',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: MAX_BODY_BYTES },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'A per-organization bearer token from `roster scim-token create`, sent as `Authorization: Bearer <token>`.',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
  });
}

export { SCIMMY };
