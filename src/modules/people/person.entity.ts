import { Column, Entity } from 'typeorm';
import { EditableTenantRecord } from '../../platform/database/tenant-owned';

export const EmploymentType = {
  POLICE_OFFICER: 'POLICE_OFFICER',
  POLICE_STAFF: 'POLICE_STAFF',
  SPECIAL_CONSTABLE: 'SPECIAL_CONSTABLE',
  POLICE_VOLUNTEER: 'POLICE_VOLUNTEER',
  FIREFIGHTER: 'FIREFIGHTER',
  FIRE_STAFF: 'FIRE_STAFF',
  CLINICIAN: 'CLINICIAN',
  HEALTH_STAFF: 'HEALTH_STAFF',
  OCCUPATIONAL_HEALTH_ADVISER: 'OCCUPATIONAL_HEALTH_ADVISER',
  VOLUNTEER: 'VOLUNTEER',
  OTHER: 'OTHER',
} as const;
export type EmploymentType = (typeof EmploymentType)[keyof typeof EmploymentType];

export const PersonStatus = { ACTIVE: 'ACTIVE', INACTIVE: 'INACTIVE' } as const;
export type PersonStatus = (typeof PersonStatus)[keyof typeof PersonStatus];

/** A member of an organisation. Tenant-owned: keyed and isolated by tenant_id. */
@Entity({ name: 'person' })
export class Person extends EditableTenantRecord {
  /** The identity provider's `sub` for this person; links a token to the person. */
  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ name: 'work_email', type: 'text' })
  workEmail: string;

  @Column({ name: 'employment_type', type: 'text' })
  employmentType: EmploymentType;

  /** Area, district or station the person works from; drives coverage figures. */
  @Column({ type: 'text', nullable: true })
  area: string | null;

  @Column({ type: 'text' })
  status: PersonStatus;
}
