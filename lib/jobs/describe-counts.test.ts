import { describe, expect, it } from 'vitest';
import { countLabels, describeCounts } from './describe-counts';

describe('describeCounts', () => {
  it.each([
    [{ end: 120 }, 'suspend 120 accounts past their end date'],
    [{ end: 1 }, 'suspend 1 account past its end date'],
    [{ suspend: 3, warn: 10 }, 'suspend 3 accounts and warn 10 accounts before suspension'],
    [{ warn: 1, suspend: 2, deprovision: 1200 }, 'warn 1 account before suspension, suspend 2 accounts and deprovision 1,200 accounts'],
    [{ revoke_role: 3 }, 'revoke 3 expired role grants'],
    [{ delete_request: 2, delete_replay_entry: 1 }, 'delete 2 expired SAML requests and delete 1 expired replay-cache entry'],
    [{ delete_scim_request: 1, delete_scim_request_over_cap: 20 }, "delete 1 logged SCIM request past retention and delete 20 logged SCIM requests past an organization's limit"],
    [{ reconcile_thing: 4 }, 'reconcile thing ×4'],
    [{ end: 0 }, 'nothing'],
    [{}, 'nothing'],
  ])('%j reads "%s"', (counts, words) => {
    expect(describeCounts(counts)).toBe(words);
  });

  it('labels counts for a table, zeros included', () => {
    expect(countLabels({ end: 0, revoke_role: 1500 })).toEqual(['end 0', 'revoke role 1,500']);
  });
});
