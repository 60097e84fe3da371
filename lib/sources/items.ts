import type { RecordSource, SourceItem } from './types';

/** A source's items one at a time (previews and tests; reconciliation reads whole batches). */
export async function* items(source: RecordSource): AsyncGenerator<SourceItem> {
  for await (const batch of source.batches()) yield* batch;
}
