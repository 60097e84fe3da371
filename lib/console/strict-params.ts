import { decodeUriOr } from '@/lib/http/decode-uri';
import { isUuid } from '@/lib/ids';
import { unstorable } from '@/lib/model/storable-text';

/**
 * Whether PostgreSQL can take this text (no U+0000): a URL value holding U+0000 reached a statement
 * and failed the page (/admin/accounts?q=%00 was an error page). As a zod refinement it makes such
 * a value bad, so pages drop it and exports refuse it, like any other bad value.
 */
export const storable = (value: string) => unstorable(value) === null;

/**
 * Pages drop a bad URL value and show the unfiltered list (a hand-edited URL is not an error
 * there). Exports and bulk actions over "everything that matches" must not: a typo in a filter
 * would widen it to every account. They check the URL against these rules first and refuse it.
 */
export type ParamChecks = Record<string, (value: string) => boolean>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const check = {
  day: (v: string) => DAY.test(v) && !Number.isNaN(new Date(`${v}T00:00:00Z`).getTime()),
  uuid: isUuid,
  text: (max: number) => (v: string) => v.length <= max && storable(v),
  oneOf: (allowed: readonly string[]) => (v: string) => allowed.includes(v),
  listOf: (allowed: readonly string[] | ((x: string) => boolean)) => (v: string) =>
    v.split(',').every((x) => (typeof allowed === 'function' ? allowed(x) : allowed.includes(x))),
};

/** What is wrong with a list URL, in words ("status=bogus", "unknown parameter stauts"); empty when it is good. */
export function invalidParams(search: URLSearchParams, checks: ParamChecks, ignored: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const [key, value] of search) {
    if (ignored.includes(key)) continue;
    const ok = checks[key];
    if (!ok) problems.push(`unknown parameter ${key}`);
    else if (value !== '' && !ok(value)) problems.push(`${key}=${value.length > 60 ? `${value.slice(0, 60)}…` : value}`);
  }
  return problems;
}

/**
 * A page's `?offset=`: the rows to skip, 0 when absent or not a safe whole number above 0. `1e30`
 * passed Number.isInteger and reached OFFSET, which PostgreSQL refused (bigint out of range): an
 * error page.
 */
export function pageOffset(value: string | string[] | undefined): number {
  const asked = Number(Array.isArray(value) ? value[0] : value);
  return Number.isSafeInteger(asked) && asked > 0 ? asked : 0;
}

/**
 * A dynamic path segment as the page's key (a role's key, a sign-in group's name), decoded; null
 * when nothing can have it, and the page is a 404: text PostgreSQL cannot take (U+0000 reached the
 * page's statement), or a malformed escape. The production server answers a malformed escape with
 * its 400 page before Next (lib/http/app-server.ts), so that case is only the guard of the decode.
 */
export function pathSegment(raw: string): string | null {
  const decoded = decodeUriOr(raw, null);
  return decoded !== null && storable(decoded) ? decoded : null;
}
