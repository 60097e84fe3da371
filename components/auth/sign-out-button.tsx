'use client';

import { signOut } from 'next-auth/react';

export function SignOutButton() {
  return (
    <button type="button" onClick={() => void signOut({ callbackUrl: '/login' })} className="text-sm font-medium text-muted-foreground hover:text-foreground">
      Sign out
    </button>
  );
}
