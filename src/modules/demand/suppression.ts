/*
 * Small-number suppression for the demand figures, so that nobody can be recognised from
 * them (a colleague in a small area, the one officer who asked about a bereavement).
 *
 * - A count from 1 to 4 is withheld: value null, suppressed true. 0 is shown as 0, and so is
 *   any count of 5 or more.
 * - A figure computed from records (an average, a median, a percentile, a sum of hours) is
 *   withheld when fewer than 5 records went into it, as it would tell about each of them.
 *   From no records at all there is nothing to withhold: an average or median is null and not
 *   suppressed, a sum is 0.
 *
 * Known limit: this is primary suppression only. Where a total and all but one of its parts
 * are shown, the hidden part can be worked out by subtraction; readers publishing the figures
 * further should apply secondary suppression or rounding.
 */

/** The smallest count shown as it is (other than 0). */
export const SUPPRESSION_THRESHOLD = 5;

export interface Suppressible {
  /** The figure, or null when suppressed (or, for a statistic, when there were no records). */
  value: number | null;
  suppressed: boolean;
}

const SHOWN_ZERO: Suppressible = { value: 0, suppressed: false };
const WITHHELD: Suppressible = { value: null, suppressed: true };

function requireCount(count: number, what: string): void {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`${what} must be a whole number of at least 0, got ${count}`);
}

/** Rounds half away from zero to the given decimals (4.25 → 4.3), as people round figures. */
export function roundTo(value: number, decimals = 1): number {
  const factor = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor + Number.EPSILON)) / factor;
}

/** Whether a count of records is too small to show, or to show anything computed from it. */
export function isSmall(count: number): boolean {
  requireCount(count, 'A count');
  return count > 0 && count < SUPPRESSION_THRESHOLD;
}

/** A count: 0 shown, 1–4 withheld, 5 or more shown. */
export function suppressCount(count: number): Suppressible {
  requireCount(count, 'A count');
  if (count === 0) return SHOWN_ZERO;
  return isSmall(count) ? WITHHELD : { value: count, suppressed: false };
}

/** An average, median or percentile over `records` records (null value when there were none). */
export function suppressStatistic(value: number | null, records: number, decimals = 1): Suppressible {
  requireCount(records, 'The number of records');
  if (records === 0 || value === null) return { value: null, suppressed: false };
  return isSmall(records) ? WITHHELD : { value: roundTo(value, decimals), suppressed: false };
}

/** A sum over `records` records, such as hours: 0 from none, withheld from 1–4. */
export function suppressTotal(total: number, records: number, decimals = 1): Suppressible {
  requireCount(records, 'The number of records');
  if (records === 0) return SHOWN_ZERO;
  return isSmall(records) ? WITHHELD : { value: roundTo(total, decimals), suppressed: false };
}
