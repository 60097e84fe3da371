'use client';

import { Command } from 'cmdk';
import { SearchIcon, UserIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogTitle } from '@/components/ui/dialog';

export type QuickSearchHit = { id: string; userName: string; displayName: string | null; status: string };

/** Find an account from anywhere: Ctrl+K / ⌘K (or "/" outside a field) opens it. */
export function QuickSearch({ search }: { search: (query: string) => Promise<QuickSearchHit[]> }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<QuickSearchHit[]>([]);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const inField = event.target instanceof HTMLElement && (event.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName));
      if ((event.key === 'k' && (event.metaKey || event.ctrlKey)) || (event.key === '/' && !inField)) {
        event.preventDefault();
        setOpen((o) => !o);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const term = query.trim();
    if (term.length < 2) return;
    const timer = setTimeout(() => startTransition(async () => setHits(await search(term))), 150);
    return () => clearTimeout(timer);
  }, [query, search]);

  const go = (id: string) => {
    setOpen(false);
    router.push(`/admin/accounts/${id}`);
  };
  return (
    <>
      <Button variant="outline" className="w-full justify-start text-muted-foreground sm:w-64" onClick={() => setOpen(true)}>
        <SearchIcon aria-hidden />
        <span className="flex-1 text-left">Find an account…</span>
        <kbd className="hidden rounded border bg-muted px-1.5 text-[10px] font-medium sm:inline">Ctrl K</kbd>
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent className="overflow-hidden p-0">
          <DialogTitle className="sr-only">Find an account</DialogTitle>
          <DialogDescription className="sr-only">Type a name, user name or email, then choose an account.</DialogDescription>
          <Command shouldFilter={false} label="Find an account" className="flex flex-col">
            <div className="flex items-center gap-2 border-b px-3">
              <SearchIcon aria-hidden className="size-4 text-muted-foreground" />
              <Command.Input value={query} onValueChange={setQuery} placeholder="Name, user name or email" className="h-11 flex-1 bg-transparent text-sm outline-none" />
            </div>
            <Command.List className="max-h-80 overflow-y-auto p-1">
              <Command.Empty className="px-3 py-6 text-center text-sm text-muted-foreground">
                {query.trim().length < 2 ? 'Type at least two characters.' : pending ? 'Searching…' : 'No account matches.'}
              </Command.Empty>
              {query.trim().length >= 2 &&
                hits.map((hit) => (
                  <Command.Item key={hit.id} value={hit.id} onSelect={() => go(hit.id)} className="flex cursor-default items-center gap-3 rounded-sm px-2 py-2 text-sm data-[selected=true]:bg-accent">
                    <UserIcon aria-hidden className="size-4 text-muted-foreground" />
                    <span className="flex-1 truncate">
                      <span className="font-medium">{hit.displayName ?? hit.userName}</span>
                      {hit.displayName ? <span className="ml-2 text-muted-foreground">{hit.userName}</span> : null}
                    </span>
                    <span className="text-xs text-muted-foreground">{hit.status}</span>
                  </Command.Item>
                ))}
            </Command.List>
          </Command>
        </DialogContent>
      </Dialog>
    </>
  );
}
