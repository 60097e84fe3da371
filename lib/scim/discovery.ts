import { respond, type ScimContext, type ScimResponse } from './context';
import { listResponse } from './list-response';
import type { JsonObject } from './normalize';
import { notFound, ScimError } from './scim-error';
import { SCIMMY } from './scimmy';

/** ServiceProviderConfig, ResourceTypes and Schemas (RFC 7644 §4), described by scimmy. */
const { Schemas, Resources, Config } = SCIMMY;
const toJson = (value: unknown): JsonObject => JSON.parse(JSON.stringify(value)) as JsonObject;

function refuseFilter(ctx: ScimContext) {
  if (ctx.param('filter')) throw new ScimError(403, null, 'Filtering is not supported on this endpoint.');
}

export function serviceProviderConfig(ctx: ScimContext): ScimResponse {
  refuseFilter(ctx);
  return respond(200, toJson(new Schemas.ServiceProviderConfig(Config.get(), `${ctx.baseUrl}/ServiceProviderConfig`)));
}

export function resourceTypes(ctx: ScimContext, name: string | null): ScimResponse {
  refuseFilter(ctx);
  const all = Object.values(Resources.declared()).map((R) => toJson(new Schemas.ResourceType(R.describe(), `${ctx.baseUrl}/ResourceTypes`)));
  if (name === null) return respond(200, listResponse(all, { startIndex: 1, totalResults: all.length }));
  const found = all.find((r) => String(r.id).toLowerCase() === name.toLowerCase());
  if (!found) throw notFound(`ResourceType ${name}`);
  return respond(200, found);
}

export function schemas(ctx: ScimContext, id: string | null): ScimResponse {
  refuseFilter(ctx);
  const all = Schemas.declared().map((definition) => toJson(definition.describe(`${ctx.baseUrl}/Schemas`)));
  if (id === null) return respond(200, listResponse(all, { startIndex: 1, totalResults: all.length }));
  const found = all.find((s) => String(s.id).toLowerCase() === id.toLowerCase());
  if (!found) throw notFound(`Schema ${id}`);
  return respond(200, found);
}
