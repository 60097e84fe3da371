import { MAX_SAML_RESPONSE_LENGTH } from './precheck-response';

/** The largest ACS form body read: the SAMLResponse limit, URL-encoded (each base64 `+/=` is 3 bytes), plus RelayState. */
export const MAX_ACS_BODY_BYTES = 3 * MAX_SAML_RESPONSE_LENGTH + 16 * 1024;

export type AcsForm = { samlResponse?: string; relayState?: string; bodyTooLarge: boolean };

/**
 * Reads the ACS's HTTP-POST form without ever holding more than the limit: the declared length is
 * checked first, then the stream is counted as it arrives. Anything but a urlencoded form is empty.
 */
export async function readAcsForm(request: Request): Promise<AcsForm> {
  if (Number(request.headers.get('content-length') ?? 0) > MAX_ACS_BODY_BYTES) return { bodyTooLarge: true };
  if (!request.headers.get('content-type')?.toLowerCase().startsWith('application/x-www-form-urlencoded') || !request.body) {
    return { bodyTooLarge: false };
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ACS_BODY_BYTES) {
      await reader.cancel();
      return { bodyTooLarge: true };
    }
    chunks.push(value);
  }
  const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  return { samlResponse: form.get('SAMLResponse') ?? undefined, relayState: form.get('RelayState') ?? undefined, bodyTooLarge: false };
}
