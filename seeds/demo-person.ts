import type { OrganisationRole } from '../src/platform/auth/roles';
import type { EmploymentType } from '../src/modules/people/person.entity';

export interface DemoPerson {
  subject: string;
  displayName: string;
  workEmail: string;
  employmentType: EmploymentType;
  area: string | null;
  roles: OrganisationRole[];
}

/** A seeded person; the work email is made from the display name. */
export const demoPerson = (
  subject: string,
  displayName: string,
  domain: string,
  employmentType: EmploymentType,
  area: string | null,
  roles: OrganisationRole[],
): DemoPerson => ({
  subject,
  displayName,
  workEmail: `${displayName.toLowerCase().replace(/[^a-z]+/g, '.')}@${domain}`,
  employmentType,
  area,
  roles,
});
