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
 * a button. Stored history catches up the next time the MILO is moved.
 */
export function effectiveStatus(stored: MiloStatus, eligibleToday: boolean): MiloStatus {
  return stored === MiloStatus.ACTIVE && !eligibleToday ? MiloStatus.LAPSED : stored;
}
