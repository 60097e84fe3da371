import type { ComponentProps } from 'react';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import type { LastRefresh } from '@/lib/console/connections-page';
import { MetadataRefresh } from './metadata-refresh';

const tone = { updated: 'green', unchanged: 'slate', failed: 'red', refused: 'red' } as const;

/**
 * A SAML connection's metadata URL, its last refresh (when, the outcome, by whom, what changed or
 * why not) and, for an admin (`action` set), "Refresh metadata".
 */
export function MetadataStatus({ connectionId, metadataUrl, lastRefresh, schedule, action }: { connectionId: string; metadataUrl: string | null; lastRefresh: LastRefresh | null; schedule: string; action: ComponentProps<typeof MetadataRefresh>['action'] | null }) {
  if (!metadataUrl) {
    return (
      <div data-metadata-url>
        <span className="text-muted-foreground">Metadata URL</span> <span className="text-muted-foreground">none: set up from a file or by hand, so it is not refreshed</span>
      </div>
    );
  }
  return (
    <>
      <div data-metadata-url>
        <span className="text-muted-foreground">Metadata URL</span> <span className="break-all">{metadataUrl}</span>
      </div>
      <div className="flex flex-wrap items-center gap-2" data-last-refresh={lastRefresh?.outcome ?? 'never'}>
        <span className="text-muted-foreground">Last refresh</span>
        {lastRefresh ? (
          <>
            <RelativeTime value={lastRefresh.at} />
            <Badge tone={tone[lastRefresh.outcome]}>{lastRefresh.outcome}</Badge>
            <span className="text-muted-foreground">by {lastRefresh.by}:</span>
            <span className="break-all">{lastRefresh.summary}</span>
          </>
        ) : (
          <span>never yet (the job reads it again {schedule})</span>
        )}
      </div>
      {action ? <MetadataRefresh connectionId={connectionId} action={action} /> : null}
    </>
  );
}
