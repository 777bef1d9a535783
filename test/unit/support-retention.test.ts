import { freeTextExpiresAt, isFreeTextExpired } from '../../src/modules/support/retention-rules';

const at = (iso: string) => new Date(iso);

describe('free-text retention cut-off', () => {
  const closed = at('2026-03-01T10:00:00Z');

  it('expires exactly the retention period after the case finished', () => {
    expect(freeTextExpiresAt(closed, 365)).toEqual(at('2027-03-01T10:00:00Z'));
    expect(isFreeTextExpired(closed, 365, at('2027-03-01T09:59:59.999Z'))).toBe(false);
    expect(isFreeTextExpired(closed, 365, at('2027-03-01T10:00:00Z'))).toBe(true);
  });

  it('counts days as 24-hour periods, whatever the clocks do (the UK changes to summer time on 29 March 2026)', () => {
    expect(freeTextExpiresAt(at('2026-03-28T12:00:00Z'), 2)).toEqual(at('2026-03-30T12:00:00Z'));
  });

  it('with a period of 0, expires as soon as the case finishes', () => {
    expect(isFreeTextExpired(closed, 0, closed)).toBe(true);
    expect(isFreeTextExpired(closed, 0, at('2026-03-01T09:59:59Z'))).toBe(false);
  });

  it('never expires the text of a case still open', () => {
    expect(isFreeTextExpired(null, 0, at('2099-01-01T00:00:00Z'))).toBe(false);
  });
});
