import type { IsoDate } from '../../platform/calendar';

/*
 * The rules a completion meets however it arrives, one record at a time or in an import.
 */

/** Training before this is not worth recording (and the table refuses it). */
export const EARLIEST_COMPLETION: IsoDate = '1990-01-01';
export const MAX_EVIDENCE_LENGTH = 500;

export const trimToNull = (value: string | null | undefined) => value?.trim() || null;

/** Problems with a completion date: after today (in the UK) or before records are kept. */
export function completionDateProblem(completedOn: IsoDate, todayIs: IsoDate): string | null {
  if (completedOn > todayIs) return 'Must not be in the future';
  if (completedOn < EARLIEST_COMPLETION) return 'Must not be before 1990';
  return null;
}
