import {
  anonymisationRefusal,
  canMoveCarePlan,
  CARE_PLAN_MOVES,
  isReviewOverdue,
  isValidNhsNumber,
  normaliseNhsNumber,
} from '../../src/modules/care-plans/care-plan-transitions';
import type { CarePlanStatus } from '../../src/modules/care-plans/care-plan.entity';

/*
 * The rules of a care plan's life, as pure functions: where its status may move, when its
 * review is overdue, when it may be anonymised, and what an NHS number must look like.
 */

const STATUSES: CarePlanStatus[] = ['DRAFT', 'ACTIVE', 'UNDER_REVIEW', 'CLOSED'];

describe('care plan status moves', () => {
  it('agrees a draft, reviews an active plan and brings it back', () => {
    expect(canMoveCarePlan('DRAFT', 'ACTIVE')).toBe(true);
    expect(canMoveCarePlan('ACTIVE', 'UNDER_REVIEW')).toBe(true);
    expect(canMoveCarePlan('UNDER_REVIEW', 'ACTIVE')).toBe(true);
  });

  it('never moves back to draft, never skips the agreement, and never closes by update', () => {
    expect(canMoveCarePlan('ACTIVE', 'DRAFT')).toBe(false);
    expect(canMoveCarePlan('UNDER_REVIEW', 'DRAFT')).toBe(false);
    expect(canMoveCarePlan('DRAFT', 'UNDER_REVIEW')).toBe(false);
    for (const from of STATUSES) expect(canMoveCarePlan(from, 'CLOSED')).toBe(false);
  });

  it('moves nowhere once closed', () => {
    expect(CARE_PLAN_MOVES.CLOSED).toEqual([]);
    for (const to of STATUSES) expect(canMoveCarePlan('CLOSED', to)).toBe(false);
  });
});

describe('overdue reviews', () => {
  const today = '2026-06-15';

  it('is overdue from the day after the review date, while the plan is worked', () => {
    expect(isReviewOverdue({ status: 'ACTIVE', reviewDueOn: '2026-06-14' }, today)).toBe(true);
    expect(isReviewOverdue({ status: 'UNDER_REVIEW', reviewDueOn: '2026-01-01' }, today)).toBe(true);
  });

  it('is not overdue on the day itself, after it, without a date, or for drafts and closed plans', () => {
    expect(isReviewOverdue({ status: 'ACTIVE', reviewDueOn: today }, today)).toBe(false);
    expect(isReviewOverdue({ status: 'ACTIVE', reviewDueOn: '2026-07-01' }, today)).toBe(false);
    expect(isReviewOverdue({ status: 'ACTIVE', reviewDueOn: null }, today)).toBe(false);
    expect(isReviewOverdue({ status: 'DRAFT', reviewDueOn: '2026-06-01' }, today)).toBe(false);
    expect(isReviewOverdue({ status: 'CLOSED', reviewDueOn: '2026-06-01' }, today)).toBe(false);
  });
});

describe('anonymisation', () => {
  const today = '2026-06-15';
  const closed = { status: 'CLOSED' as const, retainUntil: '2026-06-14', anonymisedAt: null };

  it('is allowed once a closed plan has been kept to its last day', () => {
    expect(anonymisationRefusal(closed, today)).toBeNull();
  });

  it('waits while the plan is kept, including its last day', () => {
    expect(anonymisationRefusal({ ...closed, retainUntil: today }, today)).toBe('RETENTION_NOT_ENDED');
    expect(anonymisationRefusal({ ...closed, retainUntil: '2030-01-01' }, today)).toBe('RETENTION_NOT_ENDED');
  });

  it('refuses plans still open, and plans already anonymised', () => {
    for (const status of ['DRAFT', 'ACTIVE', 'UNDER_REVIEW'] as const) expect(anonymisationRefusal({ ...closed, status }, today)).toBe('NOT_CLOSED');
    expect(anonymisationRefusal({ ...closed, anonymisedAt: new Date() }, today)).toBe('ALREADY_ANONYMISED');
  });
});

describe('NHS numbers', () => {
  it('accepts numbers whose tenth digit is the modulus 11 check digit of the first nine', () => {
    // 9434765919: 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299; 299 mod 11 = 2; 11 − 2 = 9.
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('4010232137')).toBe(true);
  });

  it('reads a remainder of 0 (check 11) as check digit 0', () => {
    // Nine digits whose weighted sum is a multiple of 11, found rather than worked out by hand.
    const zeroRemainder = Array.from({ length: 1000 }, (_, n) => String(100000000 + n)).find(
      (candidate) => [...candidate].reduce((total, digit, index) => total + Number(digit) * (10 - index), 0) % 11 === 0,
    )!;
    expect(isValidNhsNumber(`${zeroRemainder}0`)).toBe(true);
    expect(isValidNhsNumber(`${zeroRemainder}1`)).toBe(false);
  });

  it('refuses a wrong check digit, a check digit of 10, and anything but ten digits', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    const checkTen = Array.from({ length: 1000 }, (_, n) => String(100000000 + n)).find(
      (candidate) => [...candidate].reduce((total, digit, index) => total + Number(digit) * (10 - index), 0) % 11 === 1,
    )!;
    for (let digit = 0; digit <= 9; digit += 1) expect(isValidNhsNumber(`${checkTen}${digit}`)).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('943 476 5919')).toBe(false);
    expect(isValidNhsNumber('94347659l9')).toBe(false);
  });

  it('takes the grouping people write out before checking', () => {
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(normaliseNhsNumber('943-476-5919')).toBe('9434765919');
    expect(isValidNhsNumber(normaliseNhsNumber('943 476 5919'))).toBe(true);
  });
});
