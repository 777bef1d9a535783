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

/** The organisation kind of the platform's own operator organisation (see effectiveRoles). */
export const PLATFORM_ORGANISATION_KIND = 'PLATFORM';

/** What the roles rule weighs: the caller's person record and what their token asserts. */
export interface RoleEvidence {
  /** The person whose subject the token carries, or null when the organisation has none. */
  person: { status: string; recordedRoles: readonly string[] } | null;
  /** The organisation roles the token asserts; null when the token carries no roles claim. */
  tokenRoles: readonly string[] | null;
  /** The kind of the caller's organisation. */
  organisationKind: string;
}

/**
 * The roles rule: what a caller may act as. Roles come from the platform's own records (role
 * assignments that were granted, approved where four eyes apply, and audited), never from the
 * token alone: an identity provider is a ceiling, not a source. It can take a role away at
 * once (a leaver's token stops asserting it before anyone edits the platform) but cannot grant
 * one the platform has not recorded, so revoking a role works even while tokens still assert
 * it. Without a roles claim the records stand alone. A subject the organisation has no person
 * for, or an inactive person, holds nothing. PLATFORM_OPERATOR counts only in the platform's
 * own operator organisation, so no tenant's identity provider or admins can reach it.
 */
export function effectiveRoles(evidence: RoleEvidence): Set<OrganisationRole> {
  const roles = new Set<OrganisationRole>();
  const { person, tokenRoles, organisationKind } = evidence;
  if (!person || person.status !== 'ACTIVE') return roles;
  const ceiling = tokenRoles === null ? null : new Set(tokenRoles);
  for (const role of person.recordedRoles) {
    if (!isOrganisationRole(role)) continue;
    if (ceiling && !ceiling.has(role)) continue;
    if (role === OrganisationRole.PLATFORM_OPERATOR && organisationKind !== PLATFORM_ORGANISATION_KIND) continue;
    roles.add(role);
  }
  return roles;
}

/**
 * Which projection of the schema a caller gets (docs/architecture.md, "Request path"). Chosen from roles: the widest
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
