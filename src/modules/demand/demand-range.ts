import type { FieldProblem } from '../../platform/errors';
import { isIsoDate, type IsoDate } from '../../platform/calendar';

/*
 * The period demand figures cover: whole days from `from` to `to`, both included, across at
 * most 24 calendar months. Figures are per calendar month (UK time), so a period that starts
 * or ends mid-month gives part-months at its ends.
 */

export const MAX_MONTHS = 24;

/** "YYYY-MM" of a date. */
export const monthOf = (date: IsoDate) => date.slice(0, 7);

function monthIndex(date: IsoDate): number {
  const [year, month] = date.split('-').map(Number);
  return year * 12 + (month - 1);
}

/** Calendar months the period touches, the first and last included. */
export function monthsSpanned(from: IsoDate, to: IsoDate): number {
  return monthIndex(to) - monthIndex(from) + 1;
}

/** Every month of the period as "YYYY-MM", in order. */
export function monthsOf(from: IsoDate, to: IsoDate): string[] {
  const months: string[] = [];
  for (let index = monthIndex(from); index <= monthIndex(to); index += 1) {
    months.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}

/** What is wrong with a period, all at once; empty when it is usable. */
export function periodProblems(from: IsoDate, to: IsoDate): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isIsoDate(from)) problems.push({ field: 'from', message: 'Must be a date, YYYY-MM-DD' });
  if (!isIsoDate(to)) problems.push({ field: 'to', message: 'Must be a date, YYYY-MM-DD' });
  if (problems.length) return problems;
  if (to < from) return [{ field: 'to', message: 'Must not be before from' }];
  const months = monthsSpanned(from, to);
  if (months > MAX_MONTHS) problems.push({ field: 'to', message: `The period spans ${months} months; at most ${MAX_MONTHS}` });
  return problems;
}
