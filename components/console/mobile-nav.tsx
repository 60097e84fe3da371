'use client';

import { MenuIcon } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogDescription, DialogTitle, DialogTrigger, SheetContent } from '@/components/ui/dialog';
import type { NavItem } from '@/lib/nav';
import { SidebarNav } from './sidebar-nav';

/** Below 1024 px the sidebar is a menu that slides in. */
export function MobileNav({ items, header, footer }: { items: NavItem[]; header: ReactNode; footer: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" className="lg:hidden" aria-label="Open menu">
          <MenuIcon />
        </Button>
      </DialogTrigger>
      <SheetContent>
        <DialogTitle className="sr-only">Menu</DialogTitle>
        <DialogDescription className="sr-only">The console&apos;s sections</DialogDescription>
        <div className="border-b p-4">{header}</div>
        <div className="flex-1 p-3">
          <SidebarNav items={items} onNavigate={() => setOpen(false)} />
        </div>
        <div className="border-t p-4">{footer}</div>
      </SheetContent>
    </Dialog>
  );
}
