import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { AppError } from '@/lib/errors';

/** The largest upload the console takes (next.config.ts sets the server actions' body limit to match). */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

export type SavedUpload = { path: string; name: string; size: number; checksum: string };

/** An uploaded file's form value, or null when the form had none (a browser sends an empty, unnamed file). */
export function uploadOf(value: unknown): File | null {
  if (!(value instanceof File) || (value.size === 0 && !value.name)) return null;
  return value;
}

/**
 * Streams an uploaded file to a private temporary file (never read into a second buffer), hashing
 * it on the way (SHA-256, as a run records a file's checksum), runs `read` with it, and deletes it
 * whatever happens. An empty or oversized file is bad input.
 */
export async function withUpload<T>(file: File, read: (upload: SavedUpload) => Promise<T>): Promise<T> {
  if (file.size === 0) throw new AppError('invalid_input', `${file.name || 'The file'} is empty.`);
  if (file.size > MAX_UPLOAD_BYTES) throw new AppError('invalid_input', `${file.name} is over ${MAX_UPLOAD_BYTES / 1024 / 1024} MB: give the source a file path on the server instead.`);
  const dir = await mkdtemp(join(tmpdir(), 'roster-upload-'));
  try {
    const path = join(dir, 'upload.csv');
    const hash = createHash('sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(file.stream() as unknown as NodeReadableStream<Uint8Array>), tap, createWriteStream(path, { mode: 0o600 }));
    return await read({ path, name: file.name || 'upload.csv', size: file.size, checksum: hash.digest('hex') });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
