import type { BadRow, RecordSource, SourceItem, SourceRecord } from '@/lib/sources/types';

/** A record with only what a test says (the rest null/empty); `line` is given or numbered from 2. */
export type RecordSpec = Partial<SourceRecord> | { bad: string; line?: number };

/** An in-memory RecordSource for tests (and the bench without a file): yields the items in order, one per batch. */
export function memorySource(specs: RecordSpec[], options: { throwAfter?: { items: number; error: Error } } = {}): RecordSource {
  const items: SourceItem[] = specs.map((spec, i) => {
    const line = spec.line ?? i + 2;
    if ('bad' in spec) return { kind: 'bad', bad: { line, reason: spec.bad } satisfies BadRow };
    const record: SourceRecord = { employeeNumber: null, externalId: null, email: null, active: null, startDate: null, endDate: null, profile: {}, extraAttributes: {}, ...spec, line };
    return { kind: 'record', record };
  });
  return {
    kind: 'csv',
    async *batches() {
      let n = 0;
      for (const item of items) {
        if (options.throwAfter && n === options.throwAfter.items) throw options.throwAfter.error;
        n += 1;
        yield [item];
      }
      if (options.throwAfter && n === options.throwAfter.items) throw options.throwAfter.error;
    },
  };
}
