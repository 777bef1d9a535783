import { MAX_MONTHS, monthsOf, monthsSpanned, periodProblems } from '../../src/modules/demand/demand-range';

describe('the period of demand figures', () => {
  it('counts the calendar months it touches, first and last included', () => {
    expect(monthsSpanned('2025-03-01', '2025-03-31')).toBe(1);
    expect(monthsSpanned('2025-03-31', '2025-04-01')).toBe(2);
    expect(monthsSpanned('2024-01-01', '2025-12-31')).toBe(24);
  });

  it('lists every month in order, across years', () => {
    expect(monthsOf('2024-11-15', '2025-02-03')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthsOf('2025-03-01', '2025-03-01')).toEqual(['2025-03']);
  });

  it(`accepts one whole month and up to ${MAX_MONTHS}`, () => {
    expect(periodProblems('2025-03-01', '2025-03-31')).toEqual([]);
    expect(periodProblems('2024-02-01', '2024-02-29')).toEqual([]);
    expect(periodProblems('2024-01-01', '2025-12-31')).toEqual([]);
  });

  it('refuses part months, so that two periods cannot be subtracted to reveal a suppressed count', () => {
    expect(periodProblems('2025-03-02', '2025-03-31').map((problem) => problem.field)).toEqual(['from']);
    expect(periodProblems('2025-03-01', '2025-03-30').map((problem) => problem.field)).toEqual(['to']);
    expect(periodProblems('2025-03-01', '2025-03-01').map((problem) => problem.field)).toEqual(['to']);
  });

  it('refuses a period that ends before it starts', () => {
    expect(periodProblems('2025-03-02', '2025-03-01')).toEqual([{ field: 'to', message: 'Must not be before from' }]);
  });

  it(`refuses more than ${MAX_MONTHS} months`, () => {
    expect(periodProblems('2024-01-01', '2026-01-31')).toEqual([{ field: 'to', message: 'The period spans 25 months; at most 24' }]);
  });

  it('refuses dates that do not exist', () => {
    expect(periodProblems('2025-02-30', '2025-13-01').map((problem) => problem.field)).toEqual(['from', 'to']);
  });
});
