import type { IsoDate } from '../../platform/calendar';
import type { CarePlanStatus } from './care-plan.entity';

/*
 * The rules of a plan's life as small pure functions (unit-tested in
 * test/unit/care-plan-rules.test.ts): where its status may move, when its review is overdue,
 * when it may be anonymised, and what makes an NHS number well formed.
 */

/**
 * Where updateCarePlan may move a plan: a draft is agreed (ACTIVE), an active plan goes
 * under review and comes back ACTIVE. CLOSED is reached only through closeCarePlan (which
 * asks for a reason and a retention date) and is final.
 */
export const CARE_PLAN_MOVES: Record<CarePlanStatus, readonly CarePlanStatus[]> = {
  DRAFT: ['ACTIVE'],
  ACTIVE: ['UNDER_REVIEW'],
  UNDER_REVIEW: ['ACTIVE'],
  CLOSED: [],
};

export function canMoveCarePlan(from: CarePlanStatus, to: CarePlanStatus): boolean {
  return CARE_PLAN_MOVES[from].includes(to);
}

/** The statuses in which a plan is being worked and its review date matters. */
export const REVIEWED_STATUSES: readonly CarePlanStatus[] = ['ACTIVE', 'UNDER_REVIEW'];

/** A review is overdue when its day has passed (due today is not overdue) on a plan still being worked. */
export function isReviewOverdue(plan: { status: CarePlanStatus; reviewDueOn: IsoDate | null }, today: IsoDate): boolean {
  return plan.reviewDueOn !== null && plan.reviewDueOn < today && REVIEWED_STATUSES.includes(plan.status);
}

export type AnonymisationRefusal = 'NOT_CLOSED' | 'ALREADY_ANONYMISED' | 'RETENTION_NOT_ENDED';

/**
 * Why a plan may not be anonymised yet, or null when it may: it must be closed, not already
 * anonymised, and its retention must have ended (retainUntil is the last day it is kept).
 */
export function anonymisationRefusal(
  plan: { status: CarePlanStatus; retainUntil: IsoDate | null; anonymisedAt: Date | null },
  today: IsoDate,
): AnonymisationRefusal | null {
  if (plan.anonymisedAt) return 'ALREADY_ANONYMISED';
  if (plan.status !== 'CLOSED') return 'NOT_CLOSED';
  if (plan.retainUntil !== null && plan.retainUntil >= today) return 'RETENTION_NOT_ENDED';
  return null;
}

/**
 * Whether a string is a valid NHS number: ten digits whose last is the modulus 11 check digit
 * of the first nine (weights 10 down to 2; 11 - remainder, 11 reads as 0, 10 is never valid).
 * Spaces are not accepted here; callers strip the usual "943 476 5919" grouping first.
 */
export function isValidNhsNumber(value: string): boolean {
  if (!/^[0-9]{10}$/.test(value)) return false;
  let sum = 0;
  for (let index = 0; index < 9; index += 1) sum += Number(value[index]) * (10 - index);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(value[9]);
}

/** An NHS number as people write it ("943 476 5919", "943-476-5919"), without the grouping. */
export function normaliseNhsNumber(value: string): string {
  return value.replace(/[\s-]/g, '');
}
