import type { ScimContext } from './context';
import { parseFilter, type FilterNode } from './filter';
import { isObject, type Json } from './normalize';
import { badRequest } from './scim-error';
import { DEFAULT_COUNT, MAX_RESULTS, MAX_START_INDEX } from './limits';
import { parseSelection, type AttributeSelection } from './select-attributes';

/** RFC 7644 §3.4.2 query parameters (or a §3.4.3 POST /.search body), validated. */
export type ListParams = {
  filter: FilterNode | null;
  startIndex: number;
  count: number;
  sortBy: string | null;
  descending: boolean;
  selection: AttributeSelection;
};

function integer(raw: string | null, fallback: number, name: string): number {
  if (raw === null || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw badRequest('invalidValue', `${name} must be a number`);
  return Math.trunc(n);
}

/** §3.4.2.4: below 1 means 1; past MAX_START_INDEX (the page offset is a Postgres integer) a 400, see limits.ts. */
function startIndex(raw: string | null): number {
  const n = integer(raw, 1, 'startIndex');
  if (n > MAX_START_INDEX) throw badRequest('invalidValue', `startIndex must be at most ${MAX_START_INDEX}`);
  return Math.max(1, n);
}

export function parseListParams(get: (name: string) => string | null): ListParams {
  const filter = get('filter');
  const order = (get('sortOrder') ?? 'ascending').toLowerCase();
  if (order !== 'ascending' && order !== 'descending') throw badRequest('invalidValue', 'sortOrder must be ascending or descending');
  return {
    filter: filter !== null && filter.trim() !== '' ? parseFilter(filter) : null,
    startIndex: startIndex(get('startIndex')),
    // A negative count means 0 (§3.4.2.4); more than MAX_RESULTS gets MAX_RESULTS.
    count: Math.min(MAX_RESULTS, Math.max(0, integer(get('count'), DEFAULT_COUNT, 'count'))),
    sortBy: get('sortBy'),
    descending: order === 'descending',
    selection: parseSelection(get('attributes'), get('excludedAttributes')),
  };
}

/** Query string parameters. */
export function listParamsFromQuery(ctx: ScimContext): ListParams {
  return parseListParams(ctx.param);
}

/** A POST /.search body: the same parameters as JSON (attributes as lists). */
export function listParamsFromSearch(ctx: ScimContext): ListParams {
  const body = ctx.json() as Json;
  if (!isObject(body)) throw badRequest('invalidSyntax', 'A search request must be a JSON object');
  return parseListParams((name) => {
    const value = body[name];
    if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(',');
    return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
  });
}
