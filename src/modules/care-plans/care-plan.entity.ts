import { Column, Entity } from 'typeorm';
import { EditableTenantRecord } from '../../platform/database/tenant-owned';

export const CarePlanStatus = { DRAFT: 'DRAFT', ACTIVE: 'ACTIVE', UNDER_REVIEW: 'UNDER_REVIEW', CLOSED: 'CLOSED' } as const;
export type CarePlanStatus = (typeof CarePlanStatus)[keyof typeof CarePlanStatus];

export const ConsentStatus = { NOT_RECORDED: 'NOT_RECORDED', GIVEN: 'GIVEN', REFUSED: 'REFUSED', WITHDRAWN: 'WITHDRAWN' } as const;
export type ConsentStatus = (typeof ConsentStatus)[keyof typeof ConsentStatus];

/** The plan sections, as field names: what an access rule's field scope names. */
export const CARE_PLAN_SECTIONS = ['presentationAndTriggers', 'whatHelps', 'whatToAvoid', 'agreedResponse', 'contacts'] as const;
export type CarePlanSection = (typeof CARE_PLAN_SECTIONS)[number];

/**
 * A care plan for a member of the public who repeatedly comes to police (or fire) attention.
 * Pseudonymised: the plan carries a local reference; who the subject is lives apart
 * (CarePlanSubject), so listing and sharing plans never needs it.
 */
@Entity({ name: 'care_plan' })
export class CarePlan extends EditableTenantRecord {
  @Column({ type: 'text' })
  reference: string;

  @Column({ type: 'text' })
  status: CarePlanStatus;

  @Column({ name: 'lead_milo_id', type: 'uuid', nullable: true })
  leadMiloId: string | null;

  @Column({ name: 'review_due_on', type: 'date', nullable: true })
  reviewDueOn: string | null;

  @Column({ name: 'lawful_basis', type: 'text' })
  lawfulBasis: string;

  @Column({ name: 'consent_status', type: 'text' })
  consentStatus: ConsentStatus;

  @Column({ name: 'consent_scope', type: 'text', nullable: true })
  consentScope: string | null;

  @Column({ name: 'consent_recorded_on', type: 'date', nullable: true })
  consentRecordedOn: string | null;

  @Column({ name: 'presentation_and_triggers', type: 'text', nullable: true })
  presentationAndTriggers: string | null;

  @Column({ name: 'what_helps', type: 'text', nullable: true })
  whatHelps: string | null;

  @Column({ name: 'what_to_avoid', type: 'text', nullable: true })
  whatToAvoid: string | null;

  @Column({ name: 'agreed_response', type: 'text', nullable: true })
  agreedResponse: string | null;

  @Column({ type: 'text', nullable: true })
  contacts: string | null;

  /** The organisations on the care team, kept by a trigger on care_team_member (policies read it). */
  @Column({ name: 'care_team_organisation_ids', type: 'uuid', array: true })
  careTeamOrganisationIds: string[];

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /** Why it was closed (owner only); removed when the plan is anonymised. */
  @Column({ name: 'closure_reason', type: 'text', nullable: true })
  closureReason: string | null;

  /** Kept until this day once closed; then it may be anonymised. */
  @Column({ name: 'retain_until', type: 'date', nullable: true })
  retainUntil: string | null;

  @Column({ name: 'anonymised_at', type: 'timestamptz', nullable: true })
  anonymisedAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;
}
