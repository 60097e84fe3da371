import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { buildAuthOptions } from '@/lib/auth/config';
import { loginContextFrom } from '@/lib/http/request-context';

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, context: Context) {
  const [action, providerId] = (await context.params).nextauth;
  const options = await buildAuthOptions({
    providerId: action === 'signin' || action === 'callback' ? providerId : undefined,
    request: loginContextFrom(req.headers),
  });
  return NextAuth(req, context, options);
}

export { handler as GET, handler as POST };
