import { SUPPRESSION_THRESHOLD, isSmall, roundTo, suppressCount, suppressStatistic, suppressTotal } from '../../src/modules/demand/suppression';

const shown = (value: number | null) => ({ value, suppressed: false });
const withheld = { value: null, suppressed: true };

describe('small-number suppression', () => {
  it('withholds counts from 1 to 4 and shows 0 and 5 or more', () => {
    expect(SUPPRESSION_THRESHOLD).toBe(5);
    expect(suppressCount(0)).toEqual(shown(0));
    for (const count of [1, 2, 3, 4]) expect(suppressCount(count)).toEqual(withheld);
    expect(suppressCount(5)).toEqual(shown(5));
    expect(suppressCount(1234)).toEqual(shown(1234));
  });

  it('withholds an average or median computed from fewer than 5 records', () => {
    expect(suppressStatistic(4.5, 4)).toEqual(withheld);
    expect(suppressStatistic(4.5, 1)).toEqual(withheld);
    expect(suppressStatistic(4.44, 5)).toEqual(shown(4.4));
    expect(suppressStatistic(4.25, 8)).toEqual(shown(4.3));
  });

  it('has nothing to show, and nothing to withhold, for a statistic of no records', () => {
    expect(suppressStatistic(null, 0)).toEqual(shown(null));
    expect(suppressStatistic(3, 0)).toEqual(shown(null));
  });

  it('shows a sum of no records as 0 and withholds one of 1–4 records', () => {
    expect(suppressTotal(0, 0)).toEqual(shown(0));
    expect(suppressTotal(1.5, 3)).toEqual(withheld);
    expect(suppressTotal(95 / 60, 5)).toEqual(shown(1.6));
  });

  it('rounds half away from zero to one decimal', () => {
    expect(roundTo(0.05)).toBe(0.1);
    expect(roundTo(1.25)).toBe(1.3);
    expect(roundTo(1.24)).toBe(1.2);
    expect(roundTo(2)).toBe(2);
    expect(roundTo(3.14159, 2)).toBe(3.14);
  });

  it('refuses counts that are not whole and non-negative', () => {
    expect(() => suppressCount(-1)).toThrow(RangeError);
    expect(() => suppressCount(2.5)).toThrow(RangeError);
    expect(() => suppressStatistic(1, -3)).toThrow(RangeError);
    expect(() => isSmall(Number.NaN)).toThrow(RangeError);
  });
});
