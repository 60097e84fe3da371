/**
 * Notifications to people (the dormancy warning; later: access ending). Roster sends no mail
 * itself: a transport delivers them. The default writes one log line per notification; a
 * deployment (or a test) sets its own with setNotifyTransport. Notifications are sent after the
 * unit of work that decided them commits, so a rolled-back batch notifies no one.
 */
export type Notification = {
  kind: 'dormancy.warned';
  organizationId: string;
  accountId: string;
  userName: string;
  /** What to tell the person, in words. */
  message: string;
  runId: string;
};

export type NotifyTransport = (notifications: Notification[]) => Promise<void> | void;

export const logTransport: NotifyTransport = (notifications) => {
  for (const n of notifications) process.stdout.write(`notify ${n.kind} org=${n.organizationId} account=${n.accountId} user=${n.userName} run=${n.runId}: ${n.message}\n`);
};

let transport: NotifyTransport = logTransport;

/** Replaces the transport; returns the previous one (tests put it back). */
export function setNotifyTransport(next: NotifyTransport): NotifyTransport {
  const previous = transport;
  transport = next;
  return previous;
}

/** Delivers notifications; a failing transport is logged, never fails the work that was already committed. */
export async function notify(notifications: Notification[]): Promise<void> {
  if (notifications.length === 0) return;
  try {
    await transport(notifications);
  } catch (error) {
    process.stderr.write(`notify: the transport failed for ${notifications.length} notification(s): ${String(error)}\n`);
  }
}
