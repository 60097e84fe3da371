import { createHash } from 'node:crypto';
import type { Tx } from '@/db';
import { getConnectionById } from '@/db/queries/connections';
import type { AcsForm } from './read-acs-form';
import { escapeXml } from './xml';

/** The field that marks the hop's own post, so a browser without the cookie is bounced once, not forever. */
export const HOP_FIELD = 'RosterBindingHop';

const SUBMIT = 'document.forms[0].submit();';
const SUBMIT_HASH = `'sha256-${createHash('sha256').update(SUBMIT).digest('base64')}'`;

/**
 * Whether a post to the ACS should take the hop (see browser-binding.ts): it came without the
 * binding cookie, as a cross-site POST over plain http does (SameSite=Lax), is not the hop's own
 * post already, and is for an enabled SAML connection (a post to anything else is refused at once).
 * The hop validates and writes nothing; whatever arrives after it is judged as usual, so a
 * browser that never started the sign-in is still refused.
 */
export async function needsBindingHop(db: Tx, connectionId: string, form: AcsForm, browserBinding: string | null): Promise<boolean> {
  if (browserBinding !== null || form.hopped || form.bodyTooLarge || typeof form.samlResponse !== 'string') return false;
  const connection = await getConnectionById(db, connectionId);
  return connection?.protocol === 'saml' && connection.enabled;
}

/**
 * The hop: a page of Roster's own that posts the same form back to the same ACS, now a same-site
 * POST that carries SameSite=Lax cookies. Its script is the only one the page may run, it may only
 * post to Roster, and it may not be framed.
 */
export function bindingHopPage(connectionId: string, form: AcsForm): { html: string; headers: Record<string, string> } {
  const fields: Record<string, string> = { SAMLResponse: form.samlResponse ?? '', [HOP_FIELD]: '1' };
  if (form.relayState !== undefined) fields.RelayState = form.relayState;
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeXml(name)}" value="${escapeXml(value)}">`)
    .join('');
  const action = `/api/saml/${encodeURIComponent(connectionId)}/acs`;
  const html =
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signing you in…</title></head><body>` +
    `<form method="post" action="${escapeXml(action)}">${inputs}<noscript><button type="submit">Continue signing in</button></noscript></form>` +
    `<script>${SUBMIT}</script></body></html>`;
  return {
    html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': `default-src 'none'; script-src ${SUBMIT_HASH}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    },
  };
}
