import { unstorable } from '@/lib/model/storable-text';
import { badRequest } from './scim-error';

/**
 * Every limit of Roster's SCIM service, in one place. RFC 7643/7644 set no sizes; these are set well
 * above what Entra ID and Okta send (Entra: userPrincipalName ≤ 113 characters, displayName and mail
 * ≤ 256; Okta: login ≤ 100, group names ≤ 255; both push group members in small PATCH batches) and
 * below what breaks Roster: a Postgres btree entry holds at most ~2,700 bytes (a longer user name or
 * group name would fail its unique index with a 500), text cannot hold U+0000, and deep JSON would
 * overflow the stack of any recursive walk. Past a limit the request is refused with 400 (RFC 7644
 * §3.12: `invalidValue` for bodies and parameters, `invalidFilter` for filters) before any real work.
 */

/** Request bodies (413 past it; the route stops reading there). Also ServiceProviderConfig bulk.maxPayloadSize. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The most resources one list page returns (ServiceProviderConfig filter.maxResults); a larger `count` is clamped (§3.4.2.4). */
export const MAX_RESULTS = 1000;
/** `count` when the client sends none. */
export const DEFAULT_COUNT = 100;
/**
 * The largest `startIndex`: the page offset is a Postgres integer. RFC 7644 §3.4.2.4 says only that a
 * value below 1 means 1; a larger one than this is refused (400 invalidValue) rather than clamped,
 * since no directory has two billion users; up to it, a start past the end answers an empty page.
 */
export const MAX_START_INDEX = 2_147_483_647;
/** JSON nesting of a body: a User or a PatchOp is at most five deep (body → Operations → op → value → item). */
export const MAX_DEPTH = 16;
/** Any one string of a body, in UTF-8 bytes (certificates and photo URLs included); keys too. */
export const MAX_STRING_BYTES = 16 * 1024;
/** A User's profile columns (displayName, title, name parts, department, …), in UTF-8 bytes. */
export const MAX_TEXT_BYTES = 2048;
/**
 * Values Roster indexes or matches on — userName, externalId, every emails[].value, a Group's
 * displayName and externalId — in UTF-8 bytes: 256 characters of any script fit, and so does the
 * index entry, even where lower() makes a value longer.
 */
export const MAX_IDENTIFIER_BYTES = 1024;
/** Filters: characters of the filter text and nodes of its parsed tree. */
export const MAX_FILTER_LENGTH = 4096;
export const MAX_FILTER_NODES = 200;
/**
 * Operations of one PatchOp (after a no-path value is split per attribute). Entra and Okta send a
 * handful per User and batch Group member changes; applying an operation costs about 0.2 ms, so
 * a thousand keep one request under a quarter of a second of CPU.
 */
export const MAX_OPERATIONS = 1000;
/** Member values of one Group request (POST/PUT members, or all member values of a PATCH). About 500 KB of JSON. */
export const MAX_MEMBERS = 10_000;

/** UTF-8 length, without encoding short strings (at most 3 bytes a UTF-16 unit). */
export function exceedsBytes(text: string, limit: number): boolean {
  return text.length * 3 > limit && Buffer.byteLength(text, 'utf8') > limit;
}

/**
 * A parsed body, checked before anything walks it: nesting, and every string and key (storable,
 * not over MAX_STRING_BYTES). Iterative, so no nesting can overflow the stack.
 */
export function checkJsonBody(value: unknown): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current === 'string') {
      checkString(current, 'A string value');
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_DEPTH) throw badRequest('invalidValue', `The request body is nested more than ${MAX_DEPTH} levels deep`);
    if (Array.isArray(current)) {
      for (const item of current) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      checkString(key, 'An attribute name');
      stack.push({ value: item, depth: depth + 1 });
    }
  }
}

function checkString(text: string, what: string): void {
  const problem = unstorable(text);
  if (problem) throw badRequest('invalidValue', `${what} ${problem}`);
  if (exceedsBytes(text, MAX_STRING_BYTES)) throw badRequest('invalidValue', `${what} is longer than ${MAX_STRING_BYTES} bytes`);
}

/** A string attribute of at most `limit` UTF-8 bytes (400 invalidValue past it). */
export function checkLength(value: string, attribute: string, limit: number): string {
  if (exceedsBytes(value, limit)) throw badRequest('invalidValue', `${attribute} is longer than ${limit} bytes (UTF-8)`);
  return value;
}

export function checkOperationCount(count: number): void {
  if (count > MAX_OPERATIONS) throw badRequest('invalidValue', `A PatchOp may have at most ${MAX_OPERATIONS} operations; send the changes in several requests`);
}

export function checkMemberCount(count: number): void {
  if (count > MAX_MEMBERS) throw badRequest('invalidValue', `A request may carry at most ${MAX_MEMBERS} member values; send the changes in several requests`);
}
