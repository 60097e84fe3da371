/**
 * The filter expressions lists are filtered by (RFC 7644 §3.4.2.2's grammar, which lib/scim/filter.ts
 * parses), as plain data: db/queries turns them into SQL conditions without knowing the protocol.
 */
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterValue = string | number | boolean | null;
/** `uri` is the schema URN prefix, if any; `attr` and `sub` keep the client's spelling (matched case-insensitively). */
export type AttrPath = { uri: string | null; attr: string; sub: string | null };
export type FilterNode =
  | { type: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { type: 'not'; expr: FilterNode }
  | { type: 'compare'; path: AttrPath; op: CompareOp; value: FilterValue }
  | { type: 'present'; path: AttrPath }
  | { type: 'valuePath'; path: AttrPath; filter: FilterNode };
