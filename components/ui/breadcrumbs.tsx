import { ChevronRightIcon } from 'lucide-react';
import Link from 'next/link';

export type Crumb = { label: string; href?: string };

/** Where the page sits: links up the tree, the current page last (aria-current). */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-muted-foreground">
      <ol className="flex flex-wrap items-center gap-1.5">
        {items.map((item, i) => (
          <li key={`${item.label}-${i}`} className="flex items-center gap-1.5">
            {i > 0 ? <ChevronRightIcon aria-hidden className="size-3.5" /> : null}
            {item.href && i < items.length - 1 ? (
              <Link href={item.href} className="rounded-sm hover:text-foreground">
                {item.label}
              </Link>
            ) : (
              <span aria-current={i === items.length - 1 ? 'page' : undefined} className="font-medium text-foreground">
                {item.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
