'use client';

import { formatDistanceStrict } from 'date-fns';
import { useSyncExternalStore } from 'react';
import { Tooltip } from './tooltip';

const subscribe = () => () => undefined;

/**
 * "3 days ago", and the exact time on hover or focus, both in the viewer's time zone. The server
 * renders the UTC time (no time zone is known there); the browser replaces it on hydration.
 */
export function RelativeTime({ value, empty = 'Never' }: { value: Date | string | null | undefined; empty?: string }) {
  const hydrated = useSyncExternalStore(subscribe, () => true, () => false);
  if (!value) return <span className="text-muted-foreground">{empty}</span>;
  const date = typeof value === 'string' ? new Date(value) : value;
  const iso = date.toISOString();
  const exact = hydrated
    ? new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' }).format(date)
    : `${iso.replace('T', ' ').slice(0, 19)} UTC`;
  const relative = hydrated ? formatDistanceStrict(date, new Date(), { addSuffix: true }) : exact;
  return (
    <Tooltip content={exact}>
      <time dateTime={iso} tabIndex={0} className="rounded-sm whitespace-nowrap">
        {relative}
      </time>
    </Tooltip>
  );
}

/** A date and time in the viewer's time zone (for tables of events, where relative times blur). */
export function LocalTime({ value }: { value: Date | string }) {
  const hydrated = useSyncExternalStore(subscribe, () => true, () => false);
  const date = typeof value === 'string' ? new Date(value) : value;
  const iso = date.toISOString();
  return (
    <time dateTime={iso} className="whitespace-nowrap tabular-nums">
      {hydrated ? new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(date) : `${iso.replace('T', ' ').slice(0, 19)} UTC`}
    </time>
  );
}
