import { ENDED_SESSION_RETENTION_DAYS, purgeEndedSessions } from '@/lib/lifecycle/session/purge-ended-sessions';
import type { JobDefinition } from '../types';

/** Housekeeping: sessions that ended (expired or revoked) over ENDED_SESSION_RETENTION_DAYS ago. */
export const purgeEndedSessionsJob: JobDefinition = {
  name: 'purge-ended-sessions',
  summary: `Delete sessions that ended more than ${ENDED_SESSION_RETENTION_DAYS} days ago`,
  scope: 'deployment',
  schedule: '17 * * * *',
  async run({ db, now, dryRun }) {
    const { deleted, cutoff } = await purgeEndedSessions({ db, now, dryRun });
    return { counts: { delete_session: deleted }, details: { endedBefore: cutoff.toISOString() } };
  },
};
