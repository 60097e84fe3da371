import type { JsonObject } from './normalize';
import { SCIMMY } from './scimmy';

/**
 * A ListResponse for one page already cut by SQL. scimmy's ListResponse slices its input by
 * startIndex itself (meant for a whole result set), so it is built at index 1 and the real start
 * index is set afterwards.
 */
export function listResponse(resources: JsonObject[], page: { startIndex: number; totalResults: number }): JsonObject {
  type Resources = ConstructorParameters<typeof SCIMMY.Messages.ListResponse>[0];
  const message = new SCIMMY.Messages.ListResponse(resources as unknown as Resources, { startIndex: 1, itemsPerPage: resources.length, totalResults: page.totalResults });
  return { schemas: message.schemas, totalResults: message.totalResults, startIndex: page.startIndex, itemsPerPage: resources.length, Resources: resources };
}
