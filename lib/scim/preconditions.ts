import type { ScimContext } from './context';
import { ScimError } from './scim-error';
import { etagOf } from './user-resource';

/** RFC 7644 §3.14 / RFC 7232: weak comparison, lists and `*`. */
function matches(headerValue: string, version: number): boolean {
  const current = etagOf(version).replace(/^W\//, '');
  return headerValue.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === current;
  });
}

/** A write with `If-Match` that no longer matches is refused (412), so no update is lost. */
export function checkIfMatch(ctx: ScimContext, version: number): void {
  const ifMatch = ctx.header('if-match');
  if (ifMatch && !matches(ifMatch, version)) throw new ScimError(412, null, 'The resource has changed (If-Match does not match its version).');
}

/** A GET with a matching `If-None-Match` is answered 304 Not Modified. */
export function notModified(ctx: ScimContext, version: number): boolean {
  const ifNoneMatch = ctx.header('if-none-match');
  return Boolean(ifNoneMatch && matches(ifNoneMatch, version));
}
