/*
 * When free text about a case is removed: once the scheme's retention period has run. Pure,
 * so unit tests pin the cut-off. The clock starts when the case is finished: a support
 * request's closing (its summary, its contacts' notes, its feedback comments, its referrals'
 * reasons), an advice request's answer (its description and answer). A case still open keeps
 * its text: the MILO still needs it. Days are whole 24-hour periods.
 */

export const DAY_MS = 86_400_000;

/** The instant free text of a case finished at `finishedAt` expires under `retentionDays`. */
export function freeTextExpiresAt(finishedAt: Date, retentionDays: number): Date {
  return new Date(finishedAt.getTime() + retentionDays * DAY_MS);
}

/** Whether the text is past retention at `now`; never while the case is open (`finishedAt` null). */
export function isFreeTextExpired(finishedAt: Date | null, retentionDays: number, now: Date): boolean {
  return finishedAt !== null && freeTextExpiresAt(finishedAt, retentionDays).getTime() <= now.getTime();
}
