import { Column, Entity } from 'typeorm';
import { TenantOwned } from '../../platform/database/tenant-owned';

/** Someone on a plan's care team, acting on behalf of their organisation (the owner's or a partner's). */
@Entity({ name: 'care_team_member' })
export class CareTeamMember extends TenantOwned {
  @Column({ name: 'care_plan_id', type: 'uuid' })
  carePlanId: string;

  @Column({ name: 'member_organisation_id', type: 'uuid' })
  memberOrganisationId: string;

  /** The person record in the member's organisation, when known (no foreign key across tenants). */
  @Column({ name: 'member_person_id', type: 'uuid', nullable: true })
  memberPersonId: string | null;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ type: 'text' })
  role: string;

  @Column({ name: 'added_by', type: 'uuid', nullable: true })
  addedBy: string | null;

  @Column({ name: 'added_at', type: 'timestamptz' })
  addedAt: Date;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt: Date | null;
}
