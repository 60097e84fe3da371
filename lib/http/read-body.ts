/**
 * Reads a request body as text without ever holding much more than `limit` bytes: the stream is
 * counted as it arrives and cancelled once past the limit. `overLimit` says so; `text` is then what
 * was read (longer than the limit). Web `Request`, so no Next.js import.
 */
export async function readBody(request: Request, limit: number): Promise<{ text: string; overLimit: boolean } | null> {
  if (!request.body) return null;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return { text: Buffer.concat(chunks).toString('utf8'), overLimit: true };
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), overLimit: false };
}
