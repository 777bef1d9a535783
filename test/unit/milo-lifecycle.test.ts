import { canMove, effectiveStatus, nextStatuses } from '../../src/modules/milos/milo-lifecycle';

describe('MILO lifecycle', () => {
  it('moves applicants through training to active', () => {
    expect(canMove('APPLICANT', 'IN_TRAINING')).toBe(true);
    expect(canMove('IN_TRAINING', 'ACTIVE')).toBe(true);
    expect(canMove('APPLICANT', 'ACTIVE')).toBe(false);
  });

  it('suspends and reinstates active MILOs', () => {
    expect(canMove('ACTIVE', 'SUSPENDED')).toBe(true);
    expect(canMove('SUSPENDED', 'ACTIVE')).toBe(true);
    expect(canMove('SUSPENDED', 'LAPSED')).toBe(false);
  });

  it('withdraws from anything but withdrawn, and nothing follows withdrawal', () => {
    for (const status of ['APPLICANT', 'IN_TRAINING', 'ACTIVE', 'SUSPENDED', 'LAPSED'] as const) expect(canMove(status, 'WITHDRAWN')).toBe(true);
    expect(nextStatuses('WITHDRAWN')).toEqual([]);
  });

  it('shows an active MILO who is no longer eligible as lapsed, and leaves other statuses alone', () => {
    expect(effectiveStatus('ACTIVE', false)).toBe('LAPSED');
    expect(effectiveStatus('ACTIVE', true)).toBe('ACTIVE');
    expect(effectiveStatus('SUSPENDED', false)).toBe('SUSPENDED');
    expect(effectiveStatus('IN_TRAINING', false)).toBe('IN_TRAINING');
  });
});
