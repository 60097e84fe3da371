import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import type { Tx } from '@/db';
import type { ReconcileSource } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { isDateFormat, openCsvSource, type DateFormat } from '@/lib/sources/csv';
import { openScimDirectorySource } from '@/lib/sources/scim-directory';
import type { RecordSource, SourceMapping } from '@/lib/sources/types';

/** What a run reads: the records, and (files) the path and the SHA-256 of the bytes read. */
export type OpenedSource = { records: RecordSource; filePath: string | null; checksum: () => string | null };

/** How a CSV stream becomes a RecordSource: lib/sources/csv's reader; replaceable for tests. */
export type CsvOpener = (input: Readable, mapping: SourceMapping, options: { dateFormat?: DateFormat }) => RecordSource;

const readCsv: CsvOpener = (input, mapping, options) => openCsvSource({ input, mapping, options });
let csvOpener: CsvOpener = readCsv;

export function setCsvOpener(opener: CsvOpener): CsvOpener {
  const previous = csvOpener;
  csvOpener = opener;
  return previous;
}

/** A readable stream of the file that hashes what passes through it (the run records the file's checksum). */
function hashedFile(path: string) {
  const hash = createHash('sha256');
  let digest: string | null = null;
  let ended = false;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      ended = true;
      done();
    },
  });
  const file = createReadStream(path);
  file.on('error', (error) => tap.destroy(error));
  file.pipe(tap);
  return { stream: tap, checksum: () => (ended ? (digest ??= hash.digest('hex')) : null) };
}

/**
 * Opens what a run of this source reads: the SCIM directory of the organization, or an HR CSV
 * file (`file`, else the source's configured path), streamed through the CSV reader and hashed on
 * the way. A file that cannot be opened is bad input, before any run is recorded.
 */
export async function openReconcileSource(db: Tx, source: ReconcileSource, options: { file?: string | null } = {}): Promise<OpenedSource> {
  if (source.kind === 'scim') {
    if (options.file) throw new AppError('invalid_input', `${source.name} is the SCIM directory: it reads no file`);
    return { records: openScimDirectorySource(db, source.organizationId), filePath: null, checksum: () => null };
  }
  const path = options.file ?? source.filePath;
  if (!path) throw new AppError('invalid_input', `${source.name} has no file path: give the file to read (--file PATH)`);
  await access(path, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
    throw new AppError('invalid_input', `cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : (error.code ?? error.message)}`);
  });
  const { stream, checksum } = hashedFile(path);
  const dateFormat = isDateFormat(source.mapping.dateFormat) ? source.mapping.dateFormat : undefined;
  const records = csvOpener(stream, source.mapping, { dateFormat });
  return { records, filePath: path, checksum };
}
