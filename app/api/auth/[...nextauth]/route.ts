import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { auditOidcFailure } from '@/lib/auth/audit-oidc-failure';
import { buildAuthOptions } from '@/lib/auth/config';
import { loginContextFrom } from '@/lib/http/request-context';

type Context = { params: Promise<{ nextauth: string[] }> };

/** next-auth, with the sign-ins it fails on its own audited as login.rejected (lib/auth/audit-oidc-failure.ts). */
async function handler(req: NextRequest, context: Context) {
  const [action, providerId] = (await context.params).nextauth;
  const login = loginContextFrom(req.headers);
  const options = await buildAuthOptions({ providerId: action === 'signin' || action === 'callback' ? providerId : undefined, request: login });
  return auditOidcFailure({ action, providerId, method: req.method, url: req.nextUrl, context: login }, () => NextAuth(req, context, options));
}

export { handler as GET, handler as POST };
