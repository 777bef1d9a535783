/*
 * The MILO lifecycle as data: which status may follow which, and which moves need the
 * person to meet the role's training requirements. Pure, so unit tests call it directly.
 */
export const MiloStatus = {
  APPLICANT: 'APPLICANT',
  IN_TRAINING: 'IN_TRAINING',
  ACTIVE: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
  LAPSED: 'LAPSED',
  WITHDRAWN: 'WITHDRAWN',
} as const;
export type MiloStatus = (typeof MiloStatus)[keyof typeof MiloStatus];

/**
 * Allowed moves. LAPSED is normally reached by the clock (a requirement expired), but a Lead
 * may record it too; a lapsed MILO who refreshes their training may be made ACTIVE again.
 * Anyone may be WITHDRAWN from any status but WITHDRAWN.
 */
const TRANSITIONS: Record<MiloStatus, readonly MiloStatus[]> = {
  APPLICANT: ['IN_TRAINING', 'WITHDRAWN'],
  IN_TRAINING: ['ACTIVE', 'WITHDRAWN'],
  ACTIVE: ['SUSPENDED', 'LAPSED', 'WITHDRAWN'],
  SUSPENDED: ['ACTIVE', 'WITHDRAWN'],
  LAPSED: ['ACTIVE', 'IN_TRAINING', 'WITHDRAWN'],
  WITHDRAWN: [],
};

/** Nobody acts as a MILO before minimum training: becoming ACTIVE needs eligibility. */
export const NEEDS_ELIGIBILITY: ReadonlySet<MiloStatus> = new Set([MiloStatus.ACTIVE]);

export function canMove(from: MiloStatus, to: MiloStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function nextStatuses(from: MiloStatus): readonly MiloStatus[] {
  return TRANSITIONS[from];
}

/**
 * The status as of today. Only ACTIVE depends on the clock: an ACTIVE MILO whose
 * requirements are no longer met is LAPSED from the day they lapsed, without anyone pressing
 * a button. A lapse sticks: one that happened since the last move (`lapsedSinceLastMove`)
 * still reads as LAPSED after the training is refreshed, until someone reactivates the MILO.
 * Stored history catches up the next time the MILO is moved.
 */
export function effectiveStatus(stored: MiloStatus, eligibleToday: boolean, lapsedSinceLastMove = false): MiloStatus {
  return stored === MiloStatus.ACTIVE && (!eligibleToday || lapsedSinceLastMove) ? MiloStatus.LAPSED : stored;
}

/**
 * The stored statuses a MILO may have when it reads as `effective` today. Only ACTIVE is
 * clock-dependent, so an effective LAPSED may be stored as LAPSED or as ACTIVE (lapsed since
 * the last move); every other status is what is stored. Lets a filter on the effective
 * status narrow in SQL first and compute eligibility only where it can change the answer.
 */
export function storedStatusesReadingAs(effective: MiloStatus): MiloStatus[] {
  return effective === MiloStatus.LAPSED ? [MiloStatus.LAPSED, MiloStatus.ACTIVE] : [effective];
}

/** What `lapseDayOf` needs to know about eligibility on one day. */
export interface EligibilityOnDay {
  eligible: boolean;
  nextLapseOn: string | null;
}

/** Enough steps for years of refreshed training; the loop stops long before in practice. */
const MAX_LAPSE_STEPS = 100;

/**
 * The day an ACTIVE MILO's eligibility ended: starting on the day they became ACTIVE, follow
 * each "next lapse" date and stop at the first one on which they were no longer eligible.
 * Following the chain, not just the first date, matters: training refreshed before it ran
 * out pushes the lapse back. Null when it cannot be told (not eligible on `since`, say after
 * the requirements changed, or still eligible on `today`); callers then date the lapse today.
 */
export async function lapseDayOf(
  since: string,
  today: string,
  eligibilityOn: (date: string) => Promise<EligibilityOnDay>,
): Promise<string | null> {
  let day = since;
  for (let step = 0; step < MAX_LAPSE_STEPS; step += 1) {
    const eligibility = await eligibilityOn(day);
    if (!eligibility.eligible) return day === since ? null : day;
    const next = eligibility.nextLapseOn;
    if (!next || next > today || next <= day) return null;
    day = next;
  }
  return null;
}
