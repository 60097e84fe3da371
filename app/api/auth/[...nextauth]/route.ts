import { randomUUID } from 'node:crypto';
import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { buildAuthOptions } from '@/lib/auth/config';

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, context: Context) {
  const [action, providerId] = (await context.params).nextauth;
  const options = await buildAuthOptions({
    providerId: action === 'signin' || action === 'callback' ? providerId : undefined,
    request: {
      ip: req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || null,
      userAgent: req.headers.get('user-agent'),
      requestId: req.headers.get('x-request-id') ?? randomUUID(),
    },
  });
  return NextAuth(req, context, options);
}

export { handler as GET, handler as POST };
