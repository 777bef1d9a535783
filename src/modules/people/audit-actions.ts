/**
 * Audit actions of the people module: every change to who someone is and what they may act
 * as, so a data protection officer can answer "who could see what, since when, and who
 * decided" from the audit log (entity type Person, the person's id).
 */
export const PeopleAuditAction = {
  PERSON_CREATED: 'PERSON_CREATED',
  PERSON_UPDATED: 'PERSON_UPDATED',
  PERSON_IDENTITY_LINKED: 'PERSON_IDENTITY_LINKED',
  PERSON_IDENTITY_RELINKED: 'PERSON_IDENTITY_RELINKED',
  ROLE_GRANT_REQUESTED: 'ROLE_GRANT_REQUESTED',
  ROLE_GRANTED: 'ROLE_GRANTED',
  ROLE_GRANT_APPROVED: 'ROLE_GRANT_APPROVED',
  ROLE_GRANT_REJECTED: 'ROLE_GRANT_REJECTED',
  ROLE_REVOKED: 'ROLE_REVOKED',
} as const;
export type PeopleAuditAction = (typeof PeopleAuditAction)[keyof typeof PeopleAuditAction];
