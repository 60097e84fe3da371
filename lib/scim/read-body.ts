/**
 * Reads a request body as text, stopping one byte past `limit`: a body that long is answered 413
 * by handleScimRequest without ever being held in full. Web `Request`, so no Next.js import.
 */
export async function readBodyText(request: Request, limit: number): Promise<string | null> {
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
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
