'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/db';
import type { DiscoveryState } from '@/components/auth/email-discovery-form';
import { discoverConnections } from '@/lib/jit/discover-connection';
import { safeReturnTo } from '@/lib/utils';


export async function discoverAction(_prev: DiscoveryState, form: FormData): Promise<DiscoveryState> {
  const email = String(form.get('email') ?? '');
  const returnTo = safeReturnTo(form.get('returnTo'));
  const result = await discoverConnections(getDb(), email);
  if (result.kind === 'invalid') return { error: 'Enter your work email address, such as name@company.com.', email };
  if (result.kind === 'none') {
    return { error: `No single sign-on is set up for ${result.domain}. Check the address, or ask your administrator for your sign-in link.`, email };
  }
  const [only, ...rest] = result.connections;
  if (only && rest.length === 0) redirect(`/sso/${only.id}?${new URLSearchParams({ returnTo, login_hint: email.trim() })}`);
  return { email, choices: result.connections.map((c) => ({ id: c.id, label: `${c.organizationName} — ${c.name}` })) };
}
