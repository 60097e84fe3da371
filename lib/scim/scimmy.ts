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
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

// The service's limits live in limits.ts; these two are also part of ServiceProviderConfig.
export { MAX_BODY_BYTES, MAX_RESULTS } from './limits';

const { Resources, Schemas, Config } = SCIMMY;

if (!Resources.declared('User')) {
  Resources.declare(Resources.User.extend(Schemas.EnterpriseUser, false));
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
