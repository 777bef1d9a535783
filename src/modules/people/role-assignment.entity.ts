import { Column, Entity } from 'typeorm';
import { TenantOwned } from '../../platform/database/tenant-owned';
import type { OrganisationRole } from '../../platform/auth/roles';

/**
 * An organisation-level role the platform records for a person, in addition to what the
 * identity provider asserts. Revoked assignments are kept (revoked_at) as the record of who
 * held which role when.
 */
@Entity({ name: 'role_assignment' })
export class RoleAssignment extends TenantOwned {
  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ type: 'text' })
  role: OrganisationRole;

  @Column({ name: 'granted_by', type: 'uuid', nullable: true })
  grantedBy: string | null;

  @Column({ name: 'granted_at', type: 'timestamptz' })
  grantedAt: Date;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
