import { afterAll, describe, expect, it } from 'vitest';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { runBulkAction } from './run-bulk-action';
import { makeBulkCast, snapshot } from './testing/fixtures';
import type { BulkInput, BulkReport } from './types';

const db = testDb();
afterAll(closeTestDb);

const DAY = 86_400_000;
const cases: [string, Pick<BulkInput, 'action' | 'roleKey' | 'expiresAt'>][] = [
  ['suspend', { action: 'suspend' }],
  ['restore', { action: 'restore' }],
  ['grant_role until a date', { action: 'grant_role', roleKey: 'auditor', expiresAt: new Date(Date.now() + 7 * DAY) }],
  ['revoke_role', { action: 'revoke_role', roleKey: 'auditor' }],
  ['revoke_role of a rule’s role', { action: 'revoke_role', roleKey: 'everyone' }],
];

const comparable = ({ runId: _runId, dryRun: _dryRun, ...rest }: BulkReport) => ({ ...rest, refused: [...rest.refused].sort((a, b) => a.accountId.localeCompare(b.accountId)) });

describe('a dry run', () => {
  it.each(cases)('of %s writes nothing and reports exactly what the real run then does', async (_name, action) => {
    const cast = await makeBulkCast(db);
    const accountIds = [cast.admin.id, cast.signedIn.id, ...Object.values(cast.accounts).map((a) => a.id), cast.stranger.id, 'nope'];
    const input = { organizationId: cast.org.id, ...action, accountIds, reason: 'dry run test' };
    const who = { actor: cast.actor, now: new Date() };
    const before = await snapshot(db, [cast.org.id, cast.otherOrg.id]);

    const dry = await runBulkAction(db, { ...input, dryRun: true }, who, { chunkSize: 4 });
    expect(dry.dryRun).toBe(true);
    expect(await snapshot(db, [cast.org.id, cast.otherOrg.id])).toEqual(before);

    const real = await runBulkAction(db, { ...input, dryRun: false }, who, { chunkSize: 4 });
    expect(real.dryRun).toBe(false);
    expect(comparable(dry)).toEqual(comparable(real));
    expect(await snapshot(db, [cast.org.id, cast.otherOrg.id])).not.toEqual(before);
  });
});
