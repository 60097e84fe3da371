import { findScimRequests } from '@/db/queries/scim-requests';
import { flag, integer, orgOption, requiredString, type Command } from '../command';
import { table } from '../format';
import { getOrganizationOrThrow } from '../resolve';

/**
 * `roster scim requests`: the organization's SCIM request log, as /admin/scim shows it — refusals
 * first, then the rest, each newest first (at most --limit in all); --refused: refusals only.
 */
const requests: Command = {
  name: 'scim requests',
  summary: "List an organization's recent SCIM requests with their outcome, refusals first",
  usage: [
    ['--org <slug>', 'the organization'],
    ['--refused', 'only refused requests (status 400 and above)'],
    ['--limit <n>', 'how many, 1-1000 (default 100)'],
  ],
  options: { ...orgOption, refused: { type: 'boolean' }, limit: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const refusedOnly = flag(values, 'refused');
    const limit = integer(values, 'limit', 100, { min: 1, max: 1000 });
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const refused = await findScimRequests(db, org.id, { outcome: 'refused', limit });
      const rest = refusedOnly || refused.length >= limit ? [] : await findScimRequests(db, org.id, { outcome: 'succeeded', limit: limit - refused.length });
      const rows = [...refused, ...rest].map((r) => ({
        id: r.id,
        at: r.at,
        method: r.method,
        path: r.path,
        status: r.status,
        refused: r.status >= 400,
        scimType: r.scimType,
        detail: r.detail,
        resourceId: r.resourceId,
        userName: r.userName,
        durationMs: r.durationMs,
        requestId: r.requestId,
        ip: r.ip,
        token: r.tokenId ? { id: r.tokenId, name: r.tokenName, prefix: r.tokenPrefix } : null,
        connectionId: r.connectionId,
      }));
      return {
        data: rows,
        text: table(rows, [
          ['TIME', (r) => r.at],
          ['STATUS', (r) => r.status],
          ['METHOD', (r) => r.method],
          ['PATH', (r) => r.path],
          ['SCIM ERROR', (r) => [r.scimType, r.detail].filter(Boolean).join(': ')],
          ['TOKEN', (r) => r.token?.name ?? null],
        ]),
      };
    };
  },
};

export const scimCommands = [requests];
