import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { buildAuthOptions } from '@/lib/auth/config';
import { refusalResponse } from '@/lib/http/refusal';
import { loginContextFrom } from '@/lib/http/request-context';
import { appUrl } from '@/lib/saml/sp-metadata';

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, context: Context) {
  const [action, providerId] = (await context.params).nextauth;
  const named = action === 'signin' || action === 'callback' ? providerId : undefined;
  const options = await buildAuthOptions({ providerId: named, request: loginContextFrom(req.headers) });
  // No enabled OIDC connection by that id: the refusal page, not next-auth's bare 400 or sign-in loop.
  if (named !== undefined && options.providers.length === 0) return refusalResponse(req, appUrl(), 'unknown_connection');
  return NextAuth(req, context, options);
}

export { handler as GET, handler as POST };
