import { Column, Entity } from 'typeorm';
import { TenantOwned } from '../../platform/database/tenant-owned';
import type { OrganisationRole } from '../../platform/auth/roles';

/**
 * Where an assignment stands. Most roles are ACTIVE from the moment a scheme admin grants
 * them; AUDITOR starts PENDING and gives no access until a second scheme admin approves it
 * (REJECTED when one refuses it). REVOKED ends an active role.
 */
export const RoleAssignmentStatus = {
  PENDING: 'PENDING',
  ACTIVE: 'ACTIVE',
  REJECTED: 'REJECTED',
  REVOKED: 'REVOKED',
} as const;
export type RoleAssignmentStatus = (typeof RoleAssignmentStatus)[keyof typeof RoleAssignmentStatus];

/**
 * An organisation-level role the platform records for a person: the source of the person's
 * roles (a token's roles claim can only narrow them). Ended assignments are kept as the record
 * of who held, asked for, approved and refused which role when.
 */
@Entity({ name: 'role_assignment' })
export class RoleAssignment extends TenantOwned {
  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ type: 'text' })
  role: OrganisationRole;

  @Column({ type: 'text' })
  status: RoleAssignmentStatus;

  /** Who asked for the role; null for assignments that predate requests (and seeded ones). */
  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy: string | null;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  /** The second scheme admin who approved a four-eyes grant. */
  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'granted_by', type: 'uuid', nullable: true })
  grantedBy: string | null;

  /** When the role took effect; null while it is only requested, and for refused requests. */
  @Column({ name: 'granted_at', type: 'timestamptz', nullable: true })
  grantedAt: Date | null;

  @Column({ name: 'rejected_by', type: 'uuid', nullable: true })
  rejectedBy: string | null;

  @Column({ name: 'rejected_at', type: 'timestamptz', nullable: true })
  rejectedAt: Date | null;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
