/** The retention sweep: free text past each scheme's period, removed across the modules that keep it. */
export { removeExpiredFreeText, type FreeTextRemoval } from './free-text-removal';
export { startRetentionSweep, sweepRetention, type OrganisationSweep, type RetentionSweeper } from './retention-sweep';
