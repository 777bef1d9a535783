import { effectiveStatus, lapseDayOf, storedStatusesReadingAs, type EligibilityOnDay } from '../../src/modules/milos/milo-lifecycle';
import { daysBetween } from '../../src/modules/milos/milos.service';
import { paginateSorted as pageOf, sortBy } from '../../src/platform/graphql/paginate';

/** Eligibility on each day from a list of [from, until) windows of valid training. */
function windows(...spans: Array<[string, string]>) {
  return async (day: string): Promise<EligibilityOnDay> => {
    // Training completed after `day` does not count on `day`, like the engine.
    const known = spans.filter(([from]) => from <= day);
    const current = known.find(([from, until]) => from <= day && day < until);
    return { eligible: Boolean(current), nextLapseOn: current ? current[1] : null };
  };
}

describe('dating an automatic lapse', () => {
  it('is the day the training ran out', async () => {
    expect(await lapseDayOf('2025-01-10', '2026-03-01', windows(['2025-01-10', '2026-01-10']))).toBe('2026-01-10');
  });

  it('follows training refreshed before it ran out to the lapse that really happened', async () => {
    const eligibility = windows(['2024-06-01', '2025-06-01'], ['2025-05-20', '2026-05-20']);
    expect(await lapseDayOf('2024-06-01', '2026-06-10', eligibility)).toBe('2026-05-20');
  });

  it('cannot tell when the MILO was not eligible on the day they became active, or is still eligible today', async () => {
    expect(await lapseDayOf('2025-01-01', '2026-03-01', windows(['2025-02-01', '2026-02-01']))).toBeNull();
    expect(await lapseDayOf('2025-01-10', '2025-12-01', windows(['2025-01-10', '2026-01-10']))).toBeNull();
  });

  it('counts the expiry day itself as lapsed', async () => {
    expect(await lapseDayOf('2025-01-10', '2026-01-10', windows(['2025-01-10', '2026-01-10']))).toBe('2026-01-10');
  });
});

describe('a lapse sticks', () => {
  it('keeps a lapse that happened since the last move, even once the MILO is eligible again', () => {
    expect(effectiveStatus('ACTIVE', true, true)).toBe('LAPSED');
    expect(effectiveStatus('ACTIVE', true, false)).toBe('ACTIVE');
    expect(effectiveStatus('SUSPENDED', true, true)).toBe('SUSPENDED');
  });
});

describe('filtering on the status as of today', () => {
  it('looks for LAPSED among stored LAPSED and ACTIVE, and for anything else as stored', () => {
    expect(storedStatusesReadingAs('LAPSED')).toEqual(['LAPSED', 'ACTIVE']);
    expect(storedStatusesReadingAs('ACTIVE')).toEqual(['ACTIVE']);
    expect(storedStatusesReadingAs('SUSPENDED')).toEqual(['SUSPENDED']);
  });
});

describe('paging a computed list', () => {
  const rows = sortBy(
    [
      { id: 'c', area: 'Basingstoke' },
      { id: 'a', area: 'Portsmouth' },
      { id: 'b', area: 'Basingstoke' },
      { id: 'd', area: '' },
    ],
    (row) => row.area,
  );

  it('pages by (key, id) with cursors that resume after the last row', async () => {
    expect(rows.map((row) => row.id)).toEqual(['d', 'b', 'c', 'a']);
    const first = pageOf(rows, { first: 2 }, (row) => row.area);
    expect(first.edges.map((edge) => edge.node.id)).toEqual(['d', 'b']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = pageOf(rows, { first: 2, after: first.pageInfo.endCursor as string }, (row) => row.area);
    expect(second.edges.map((edge) => edge.node.id)).toEqual(['c', 'a']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(await second.totalCount).toBe(4);
  });

  it('refuses a forged cursor and a page beyond the maximum', () => {
    expect(() => pageOf(rows, { after: 'bm90LWEtY3Vyc29y' }, (row) => row.area)).toThrow('"after" is not a cursor');
    expect(() => pageOf(rows, { first: 101 }, (row) => row.area)).toThrow('"first" must be between 0 and 100');
  });

  it('counts whole days between dates across a clock change', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-01-01', '2026-01-01')).toBe(0);
  });
});
