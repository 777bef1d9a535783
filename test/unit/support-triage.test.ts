import {
  assignmentDecision,
  byQueueOrder,
  queueKey,
  spareCapacity,
  targetCutoff,
  waitedBeyondTarget,
  wholeHoursBetween,
  URGENCY_SPAN_MS,
} from '../../src/modules/support/triage';

const at = (iso: string) => new Date(iso);

describe('the triage queue order', () => {
  const requests = [
    { id: 'a', urgency: 'ROUTINE' as const, createdAt: at('2026-03-01T09:00:00Z') },
    { id: 'b', urgency: 'URGENT' as const, createdAt: at('2026-03-03T09:00:00Z') },
    { id: 'c', urgency: 'SOON' as const, createdAt: at('2026-03-02T09:00:00Z') },
    { id: 'd', urgency: 'URGENT' as const, createdAt: at('2026-03-02T09:00:00Z') },
    { id: 'e', urgency: 'ROUTINE' as const, createdAt: at('2026-02-01T09:00:00Z') },
    { id: 'f', urgency: 'URGENT' as const, createdAt: at('2026-03-02T09:00:00Z') },
  ];

  it('puts the most urgent first, the oldest first within an urgency, and breaks ties by id', () => {
    expect([...requests].sort(byQueueOrder).map((request) => request.id)).toEqual(['d', 'f', 'b', 'c', 'e', 'a']);
  });

  it('orders by urgency before age: a fresh URGENT request beats a year-old ROUTINE one', () => {
    expect(queueKey('URGENT', at('2030-01-01T00:00:00Z'))).toBeLessThan(queueKey('SOON', at('2000-01-01T00:00:00Z')));
    expect(queueKey('SOON', at('2030-01-01T00:00:00Z'))).toBeLessThan(queueKey('ROUTINE', at('2000-01-01T00:00:00Z')));
  });

  it('keeps the combined key an exact integer for centuries of timestamps', () => {
    const key = queueKey('ROUTINE', at('2285-12-31T23:59:59.999Z'));
    expect(Number.isSafeInteger(key)).toBe(true);
    expect(at('2285-12-31T23:59:59.999Z').getTime()).toBeLessThan(URGENCY_SPAN_MS);
  });
});

describe('waiting against the target', () => {
  const created = at('2026-03-01T09:00:00Z');

  it('counts whole hours and never a negative wait', () => {
    expect(wholeHoursBetween(created, at('2026-03-01T09:59:59Z'))).toBe(0);
    expect(wholeHoursBetween(created, at('2026-03-04T10:30:00Z'))).toBe(73);
    expect(wholeHoursBetween(created, at('2026-03-01T08:00:00Z'))).toBe(0);
  });

  it('is beyond target only once the target has fully passed', () => {
    expect(waitedBeyondTarget(created, at('2026-03-04T09:00:00Z'), 72)).toBe(false);
    expect(waitedBeyondTarget(created, at('2026-03-04T09:00:00.001Z'), 72)).toBe(true);
    expect(targetCutoff(at('2026-03-04T09:00:00Z'), 72)).toEqual(created);
  });
});

describe('may this MILO take the case?', () => {
  it('allows an ACTIVE MILO with room, without recording an override', () => {
    expect(assignmentDecision({ status: 'ACTIVE', openCaseload: 2, capacity: 3, overrideReason: null })).toEqual({ allowed: true, overridden: [] });
    expect(assignmentDecision({ status: 'ACTIVE', openCaseload: 0, capacity: 3, overrideReason: 'not needed' })).toEqual({ allowed: true, overridden: [] });
  });

  it('refuses at capacity (open = capacity, and beyond) and when not ACTIVE, listing every reason', () => {
    expect(assignmentDecision({ status: 'ACTIVE', openCaseload: 3, capacity: 3, overrideReason: null })).toEqual({
      allowed: false,
      refusals: ['AT_CAPACITY'],
      overridable: true,
    });
    expect(assignmentDecision({ status: 'ACTIVE', openCaseload: 0, capacity: 0, overrideReason: null })).toMatchObject({ allowed: false, refusals: ['AT_CAPACITY'] });
    for (const status of ['LAPSED', 'SUSPENDED', 'IN_TRAINING', 'APPLICANT'] as const) {
      expect(assignmentDecision({ status, openCaseload: 0, capacity: 3, overrideReason: null })).toEqual({ allowed: false, refusals: ['MILO_NOT_ACTIVE'], overridable: true });
    }
    expect(assignmentDecision({ status: 'SUSPENDED', openCaseload: 5, capacity: 3, overrideReason: null })).toMatchObject({
      refusals: ['MILO_NOT_ACTIVE', 'AT_CAPACITY'],
    });
  });

  it('lets a Lead override with a reason, returning what was overridden', () => {
    expect(assignmentDecision({ status: 'LAPSED', openCaseload: 4, capacity: 3, overrideReason: 'Only one who knows the station' })).toEqual({
      allowed: true,
      overridden: ['MILO_NOT_ACTIVE', 'AT_CAPACITY'],
    });
  });

  it('never assigns to a withdrawn member, override or not', () => {
    expect(assignmentDecision({ status: 'WITHDRAWN', openCaseload: 0, capacity: 3, overrideReason: 'Please' })).toEqual({
      allowed: false,
      refusals: ['MILO_WITHDRAWN'],
      overridable: false,
    });
  });

  it('reports spare capacity, never below zero', () => {
    expect(spareCapacity(5, 2)).toBe(3);
    expect(spareCapacity(2, 2)).toBe(0);
    expect(spareCapacity(1, 3)).toBe(0);
  });
});
