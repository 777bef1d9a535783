import type { FieldProblem } from '../../platform/errors';
import { addDays, isIsoDate, type IsoDate } from '../../platform/calendar';

/*
 * The period demand figures cover: whole calendar months (UK time), from the first day of
 * `from`'s month to the last day of `to`'s, at most 24 of them. Whole months only, because two
 * periods a day apart, each above the suppression threshold, would otherwise differ by the
 * one request that the threshold is there to hide.
 */

export const MAX_MONTHS = 24;

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
  if (!from.endsWith('-01')) problems.push({ field: 'from', message: 'Must be the first day of a month: figures cover whole calendar months' });
  if (!addDays(to, 1).endsWith('-01')) problems.push({ field: 'to', message: 'Must be the last day of a month: figures cover whole calendar months' });
  const months = monthsSpanned(from, to);
  if (months > MAX_MONTHS) problems.push({ field: 'to', message: `The period spans ${months} months; at most ${MAX_MONTHS}` });
  return problems;
}
