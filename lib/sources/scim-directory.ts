import type { Tx } from '@/db';
import { findScimDirectoryPage } from '@/db/queries/reconcile-scim-directory';
import type { RecordSource, SourceItem, SourceRecord } from './types';

/** A record of the SCIM directory names the account the pushed person is: its SCIM id is the account id. */
export type DirectoryRecord = SourceRecord & { accountId: string };

const PAGE = 5_000;

/**
 * The organization's SCIM directory as an authoritative source: where an organization provisions
 * by SCIM, the IdP's pushes are the list of people. Its records are the people the IdP pushed and
 * has not deactivated or deleted, read in pages of Roster's own SCIM store (the pushes are applied
 * to accounts as they arrive, so there is nothing else to read). Each record is matched to its
 * account by the SCIM id the IdP holds, before any other key. So an active account the IdP never
 * pushed (made by JIT, or by an admin) or whose person it deactivated or deleted is an orphan.
 * The directory speaks about no profile field: SCIM writes those itself, so it finds no drift.
 */
export function openScimDirectorySource(db: Tx, organizationId: string): RecordSource {
  return {
    kind: 'scim',
    async *batches(): AsyncIterable<SourceItem[]> {
      let after: string | null = null;
      let position = 0;
      for (;;) {
        const page = await findScimDirectoryPage(db, organizationId, after, PAGE);
        const batch: SourceItem[] = [];
        for (const person of page) {
          position += 1;
          const record: DirectoryRecord = {
            line: position,
            accountId: person.id,
            employeeNumber: person.employeeNumber,
            externalId: person.externalId,
            email: person.email?.toLowerCase() ?? null,
            active: true,
            startDate: null,
            endDate: null,
            profile: {},
            extraAttributes: {},
          };
          batch.push({ kind: 'record', record });
        }
        if (batch.length > 0) yield batch;
        if (page.length < PAGE) return;
        after = page.at(-1)!.id;
      }
    },
  };
}
