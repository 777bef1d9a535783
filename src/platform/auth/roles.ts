/**
 * Organisation-level roles asserted by an organisation's identity provider or recorded by the
 * platform's role assignments. Acting as a MILO or Lead MILO is not here: it comes from the
 * person's scheme membership, which the platform owns.
 */
export const OrganisationRole = {
  SCHEME_ADMIN: 'SCHEME_ADMIN',
  STAFF: 'STAFF',
  PARTNER: 'PARTNER',
  AUDITOR: 'AUDITOR',
  PLATFORM_OPERATOR: 'PLATFORM_OPERATOR',
} as const;
export type OrganisationRole = (typeof OrganisationRole)[keyof typeof OrganisationRole];

export const ORGANISATION_ROLES: readonly OrganisationRole[] = Object.values(OrganisationRole);

export function isOrganisationRole(value: string): value is OrganisationRole {
  return (ORGANISATION_ROLES as readonly string[]).includes(value);
}

/**
 * Which projection of the schema a caller gets (DESIGN.md 4). Chosen from roles: the widest
 * role wins, and a caller whose only role is PARTNER gets the partner surface.
 */
export const Audience = {
  PLATFORM_OPERATOR: 'PLATFORM_OPERATOR',
  SCHEME_ADMIN: 'SCHEME_ADMIN',
  STAFF: 'STAFF',
  PARTNER: 'PARTNER',
} as const;
export type Audience = (typeof Audience)[keyof typeof Audience];

export function audienceFor(roles: ReadonlySet<OrganisationRole>): Audience {
  if (roles.has('PLATFORM_OPERATOR')) return Audience.PLATFORM_OPERATOR;
  if (roles.has('SCHEME_ADMIN')) return Audience.SCHEME_ADMIN;
  if (roles.has('PARTNER') && !roles.has('STAFF') && !roles.has('AUDITOR')) return Audience.PARTNER;
  return Audience.STAFF;
}
