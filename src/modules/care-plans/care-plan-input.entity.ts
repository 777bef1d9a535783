import { Column, Entity } from 'typeorm';
import { TenantRecord } from '../../platform/database/tenant-owned';

export const CarePlanInputKind = { MILO: 'MILO', PARTNER: 'PARTNER', CARER: 'CARER' } as const;
export type CarePlanInputKind = (typeof CarePlanInputKind)[keyof typeof CarePlanInputKind];

export const InputVisibility = { SHARED: 'SHARED', INTERNAL: 'INTERNAL' } as const;
export type InputVisibility = (typeof InputVisibility)[keyof typeof InputVisibility];

/** A contribution to a plan: by the owner's MILOs, by a partner's user, or a carer's input recorded by a MILO. */
@Entity({ name: 'care_plan_input' })
export class CarePlanInput extends TenantRecord {
  @Column({ name: 'care_plan_id', type: 'uuid' })
  carePlanId: string;

  @Column({ name: 'author_organisation_id', type: 'uuid' })
  authorOrganisationId: string;

  @Column({ name: 'author_person_id', type: 'uuid', nullable: true })
  authorPersonId: string | null;

  @Column({ name: 'author_name', type: 'text' })
  authorName: string;

  @Column({ type: 'text' })
  kind: CarePlanInputKind;

  @Column({ name: 'carer_relationship', type: 'text', nullable: true })
  carerRelationship: string | null;

  /** Null once the plan is anonymised. */
  @Column({ type: 'text', nullable: true })
  body: string | null;

  @Column({ type: 'text' })
  visibility: InputVisibility;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt: Date | null;
}
