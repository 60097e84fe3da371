import { readBody } from '@/lib/http/read-body';
import { HOP_FIELD } from './acs-hop';
import { MAX_SAML_RESPONSE_LENGTH } from './precheck-response';

/** The largest ACS form body read: the SAMLResponse limit, URL-encoded (each base64 `+/=` is 3 bytes), plus RelayState. */
export const MAX_ACS_BODY_BYTES = 3 * MAX_SAML_RESPONSE_LENGTH + 16 * 1024;

/** `hopped`: the post came from Roster's own binding hop page (acs-hop.ts). */
export type AcsForm = { samlResponse?: string; relayState?: string; bodyTooLarge: boolean; hopped?: boolean };

/**
 * Reads the ACS's HTTP-POST form without ever holding more than the limit: the declared length is
 * checked first, then the stream is counted as it arrives. Anything but a urlencoded form is empty.
 */
export async function readAcsForm(request: Request): Promise<AcsForm> {
  if (Number(request.headers.get('content-length') ?? 0) > MAX_ACS_BODY_BYTES) return { bodyTooLarge: true };
  if (!request.headers.get('content-type')?.toLowerCase().startsWith('application/x-www-form-urlencoded') || !request.body) {
    return { bodyTooLarge: false };
  }
  const body = await readBody(request, MAX_ACS_BODY_BYTES);
  if (body?.overLimit) return { bodyTooLarge: true };
  const form = new URLSearchParams(body?.text ?? '');
  return {
    samlResponse: form.get('SAMLResponse') ?? undefined,
    relayState: form.get('RelayState') ?? undefined,
    bodyTooLarge: false,
    hopped: form.get(HOP_FIELD) === '1',
  };
}
