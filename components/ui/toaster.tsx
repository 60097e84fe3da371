'use client';

import { useTheme } from 'next-themes';
import { Toaster as Sonner } from 'sonner';

/** Results of actions ("3 accounts suspended"), announced politely to screen readers. */
export function Toaster() {
  const { resolvedTheme } = useTheme();
  return <Sonner theme={resolvedTheme === 'dark' ? 'dark' : 'light'} position="bottom-right" richColors closeButton />;
}
