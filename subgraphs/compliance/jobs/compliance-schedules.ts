import type { Queue } from 'bullmq';
import {
  ComplianceJob,
  COMPLIANCE_JOB_OPTIONS,
  type ScheduleRunsJobData,
} from './compliance-queue';

/** Stable scheduler ids: upserting them again (another scheduler process, a restart) changes nothing. */
export const COMPLIANCE_SCHEDULERS = {
  expiry: 'compliance-expiry-hourly',
  daily: 'compliance-full-daily',
} as const;

/**
 * Registers the hourly expiry checks and the daily full run. `upsertJobScheduler` is keyed by
 * the scheduler id, so however many scheduler processes start, each schedule exists once and
 * produces one job per tick.
 */
export async function registerComplianceSchedules(
  queue: Queue,
  patterns: { expiry: string; daily: string },
): Promise<void> {
  await queue.upsertJobScheduler(
    COMPLIANCE_SCHEDULERS.expiry,
    { pattern: patterns.expiry, tz: 'UTC' },
    {
      name: ComplianceJob.ScheduleRuns,
      data: { scope: 'EXPIRY', trigger: 'schedule:expiry' } satisfies ScheduleRunsJobData,
      opts: COMPLIANCE_JOB_OPTIONS,
    },
  );
  await queue.upsertJobScheduler(
    COMPLIANCE_SCHEDULERS.daily,
    { pattern: patterns.daily, tz: 'UTC' },
    {
      name: ComplianceJob.ScheduleRuns,
      data: { scope: 'ALL', trigger: 'schedule:daily' } satisfies ScheduleRunsJobData,
      opts: COMPLIANCE_JOB_OPTIONS,
    },
  );
}
