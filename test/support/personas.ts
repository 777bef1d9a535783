import type { OrganisationRole } from '../../src/platform/auth/roles';
import type { Caller } from './platform';

/** The seeded organisations, by slug (seeds/demo-organisations.ts). */
export const POLICE = 'hampshire-constabulary';
export const FIRE = 'hampshire-fire-rescue';
export const SOUTHERN_HEALTH = 'southern-health';
export const SOLENT = 'solent-nhs';
export const OCCUPATIONAL_HEALTH = 'hiow-occupational-health';
export const OPERATOR_ORGANISATION = 'milo-platform';

const caller = (organisation: string, subject: string, ...roles: OrganisationRole[]): Caller => ({ organisation, roles, subject });

/**
 * The seeded people as callers, by what they do, each with the roles a test token gives them.
 * A persona's token asks for fewer roles than the seeds may record (the token's roles are a
 * ceiling), so `police.admin` is the scheme admin acting as admin only. Acting as a MILO or a
 * Lead comes from the seeded membership, never the token: `lead` and `milo` are STAFF.
 */
export const personas = {
  police: {
    admin: caller(POLICE, 'hc-admin-1', 'SCHEME_ADMIN'),
    auditor: caller(POLICE, 'hc-auditor-1', 'AUDITOR'),
    /** Jordan Reeves, a police officer. */
    staff: caller(POLICE, 'hc-staff-1', 'STAFF'),
    /** Alex Morgan, police staff: a second colleague. */
    otherStaff: caller(POLICE, 'hc-staff-2', 'STAFF'),
    lead: caller(POLICE, 'hc-lead-01', 'STAFF'),
    milo: caller(POLICE, 'hc-milo-01', 'STAFF'),
    /** Any other seeded police member (the MILO roster hc-milo-01…54, hc-staff-3…4) as STAFF. */
    member: (subject: string) => caller(POLICE, subject, 'STAFF'),
  },
  fire: {
    admin: caller(FIRE, 'hfrs-admin-1', 'SCHEME_ADMIN'),
    auditor: caller(FIRE, 'hfrs-auditor-1', 'AUDITOR'),
    staff: caller(FIRE, 'hfrs-staff-1', 'STAFF'),
    lead: caller(FIRE, 'hfrs-lead-01', 'STAFF'),
    milo: caller(FIRE, 'hfrs-milo-01', 'STAFF'),
  },
  southernHealth: {
    admin: caller(SOUTHERN_HEALTH, 'sh-admin-1', 'SCHEME_ADMIN'),
    auditor: caller(SOUTHERN_HEALTH, 'sh-auditor-1', 'AUDITOR'),
    clinician: caller(SOUTHERN_HEALTH, 'sh-clinician-1', 'PARTNER'),
    otherClinician: caller(SOUTHERN_HEALTH, 'sh-clinician-2', 'PARTNER'),
  },
  solent: {
    admin: caller(SOLENT, 'solent-admin-1', 'SCHEME_ADMIN'),
    auditor: caller(SOLENT, 'solent-auditor-1', 'AUDITOR'),
    clinician: caller(SOLENT, 'solent-clinician-1', 'PARTNER'),
  },
  occupationalHealth: {
    admin: caller(OCCUPATIONAL_HEALTH, 'oh-admin-1', 'SCHEME_ADMIN'),
    auditor: caller(OCCUPATIONAL_HEALTH, 'oh-auditor-1', 'AUDITOR'),
    /** Paul Grant: a partner user who is also staff of the unit. */
    adviser: caller(OCCUPATIONAL_HEALTH, 'oh-adviser-1', 'PARTNER', 'STAFF'),
  },
  operator: {
    operator: caller(OPERATOR_ORGANISATION, 'platform-operator-1', 'PLATFORM_OPERATOR'),
    admin: caller(OPERATOR_ORGANISATION, 'op-admin-1', 'SCHEME_ADMIN', 'PLATFORM_OPERATOR'),
    auditor: caller(OPERATOR_ORGANISATION, 'op-auditor-1', 'AUDITOR'),
  },
} as const;
