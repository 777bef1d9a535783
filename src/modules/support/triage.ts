import type { MiloStatus } from '../milos';
import { URGENCY_RANK, type Urgency } from './urgency';

/*
 * The Lead MILO's triage rules as plain functions: the order of the queue, how long a request
 * has waited, and whether a MILO may take one more case. Unit tests call them directly; the
 * services feed them what they read.
 */

const HOUR_MS = 3_600_000;

/**
 * Rank spacing for the queue key: far more milliseconds than any timestamp holds (10^13 ms is
 * the year 2286), so one number orders by urgency first and age second. The largest key,
 * 2 × 10^13 + now, stays well inside the integers a double holds exactly.
 */
export const URGENCY_SPAN_MS = 10_000_000_000_000;

/** The queue's sort key: most urgent first, then oldest first. Mirrored in SQL by QUEUE_KEY_SQL. */
export function queueKey(urgency: Urgency, createdAt: Date): number {
  return URGENCY_RANK[urgency] * URGENCY_SPAN_MS + createdAt.getTime();
}

/** The same key in SQL, for keyset pages (timestamps cut to milliseconds, as JavaScript reads them). */
export function queueKeySql(alias: string): string {
  return (
    `((case ${alias}.urgency when 'URGENT' then ${URGENCY_RANK.URGENT} when 'SOON' then ${URGENCY_RANK.SOON} else ${URGENCY_RANK.ROUTINE} end)::bigint * ${URGENCY_SPAN_MS}` +
    ` + (extract(epoch from date_trunc('milliseconds', ${alias}.created_at)) * 1000)::bigint)`
  );
}

/** Newest first as an ascending key (keyset pages read forwards only). */
export function newestFirstKey(at: Date): number {
  return -at.getTime();
}

export function newestFirstKeySql(column: string): string {
  return `(-(extract(epoch from date_trunc('milliseconds', ${column})) * 1000)::bigint)`;
}

export interface Queued {
  id: string;
  urgency: Urgency;
  createdAt: Date;
}

/** Queue order for lists sorted in memory (a MILO's caseload). */
export function byQueueOrder<T extends Queued>(a: T, b: T): number {
  return queueKey(a.urgency, a.createdAt) - queueKey(b.urgency, b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Whole hours from one instant to another (never negative). */
export function wholeHoursBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / HOUR_MS));
}

/** Whether a request made at `createdAt` has waited longer than the scheme's target by `now`. */
export function waitedBeyondTarget(createdAt: Date, now: Date, targetHours: number): boolean {
  return now.getTime() - createdAt.getTime() > targetHours * HOUR_MS;
}

/** The creation instant before which a request still WAITING is beyond target. */
export function targetCutoff(now: Date, targetHours: number): Date {
  return new Date(now.getTime() - targetHours * HOUR_MS);
}

/** Why an assignment is refused; every one but MILO_WITHDRAWN may be overridden with a reason. */
export const AssignmentRefusal = {
  /** The MILO is not ACTIVE today (applicant, in training, suspended, lapsed). */
  MILO_NOT_ACTIVE: 'MILO_NOT_ACTIVE',
  /** The MILO's open caseload has reached their capacity. */
  AT_CAPACITY: 'AT_CAPACITY',
  /** The MILO has left the scheme: not even a Lead's override puts a case with them. */
  MILO_WITHDRAWN: 'MILO_WITHDRAWN',
} as const;
export type AssignmentRefusal = (typeof AssignmentRefusal)[keyof typeof AssignmentRefusal];

export interface AssignmentCheck {
  /** The MILO's effective status today. */
  status: MiloStatus;
  /** Requests ASSIGNED to the MILO now (not counting this one). */
  openCaseload: number;
  capacity: number;
  /** The Lead's reason for assigning anyway, if given (already trimmed; blank = none). */
  overrideReason: string | null;
}

export type AssignmentDecision =
  | { allowed: true; overridden: AssignmentRefusal[] }
  | { allowed: false; refusals: AssignmentRefusal[]; overridable: boolean };

/**
 * May this MILO take the case? Refused when they are not ACTIVE today or their open caseload
 * has reached capacity, unless the Lead gives a reason to override; the checks an override
 * beat are returned so they are recorded. A withdrawn member is never assigned.
 */
export function assignmentDecision(check: AssignmentCheck): AssignmentDecision {
  if (check.status === 'WITHDRAWN') return { allowed: false, refusals: [AssignmentRefusal.MILO_WITHDRAWN], overridable: false };
  const refusals: AssignmentRefusal[] = [];
  if (check.status !== 'ACTIVE') refusals.push(AssignmentRefusal.MILO_NOT_ACTIVE);
  if (check.openCaseload >= check.capacity) refusals.push(AssignmentRefusal.AT_CAPACITY);
  if (refusals.length === 0) return { allowed: true, overridden: [] };
  if (check.overrideReason) return { allowed: true, overridden: refusals };
  return { allowed: false, refusals, overridable: true };
}

/** Spare places in a MILO's caseload (none when at or over capacity). */
export function spareCapacity(capacity: number, openCaseload: number): number {
  return Math.max(0, capacity - openCaseload);
}
