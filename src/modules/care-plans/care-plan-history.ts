import { CARE_PLAN_SECTIONS, type CarePlan, type CarePlanSection } from './care-plan.entity';
import type { CareTeamMember } from './care-team-member.entity';

/*
 * A plan's version history: each change writes the plan as it then stood (a snapshot, emptied
 * when the plan is anonymised) and a summary of what changed. The summary outlives
 * anonymisation (the history table keeps it), so it names fields and statuses only, never the
 * text of a section, a reason or a name. Pure functions, unit-tested.
 */

/** The plan's state a change is measured on: the plan's columns and its current care team. */
export type PlanState = Pick<
  CarePlan,
  | 'status'
  | 'leadMiloId'
  | 'reviewDueOn'
  | 'lawfulBasis'
  | 'consentStatus'
  | 'consentScope'
  | 'consentRecordedOn'
  | CarePlanSection
  | 'closedAt'
  | 'closureReason'
  | 'retainUntil'
>;

const SECTION_LABELS: Record<CarePlanSection, string> = {
  presentationAndTriggers: 'presentation and triggers',
  whatHelps: 'what helps',
  whatToAvoid: 'what to avoid',
  agreedResponse: 'agreed response',
  contacts: 'contacts',
};

/**
 * What changed between two states of a plan, one phrase per change, in a fixed order.
 * Empty when nothing did.
 */
export function describeChanges(before: PlanState, after: PlanState): string[] {
  const changes: string[] = [];
  if (before.status !== after.status) changes.push(`status ${before.status} → ${after.status}`);
  const sections = CARE_PLAN_SECTIONS.filter((section) => (before[section] ?? null) !== (after[section] ?? null));
  if (sections.length) changes.push(`sections changed: ${sections.map((section) => SECTION_LABELS[section]).join(', ')}`);
  if (before.leadMiloId !== after.leadMiloId) changes.push(after.leadMiloId ? 'lead MILO changed' : 'lead MILO removed');
  if (before.reviewDueOn !== after.reviewDueOn) changes.push(after.reviewDueOn ? `review due ${after.reviewDueOn}` : 'review date removed');
  if (before.lawfulBasis !== after.lawfulBasis) changes.push('lawful basis changed');
  if (
    before.consentStatus !== after.consentStatus ||
    before.consentScope !== after.consentScope ||
    before.consentRecordedOn !== after.consentRecordedOn
  ) {
    changes.push(`consent ${after.consentStatus}${after.consentRecordedOn ? ` on ${after.consentRecordedOn}` : ''}`);
  }
  if (before.retainUntil !== after.retainUntil && after.retainUntil) changes.push(`kept until ${after.retainUntil}`);
  return changes;
}

/** A change summary as stored (at most 500 characters, as the table allows). */
export function changeSummary(changes: readonly string[]): string {
  const text = changes.length ? changes.join('; ') : 'no change';
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return sentence.length <= 500 ? sentence : `${sentence.slice(0, 499)}…`;
}

/** Which of the plan's fields a change touched, by name: what an audit event may say about it. */
export function changedFields(before: PlanState, after: PlanState): string[] {
  const fields: Array<keyof PlanState> = [
    'status',
    ...CARE_PLAN_SECTIONS,
    'leadMiloId',
    'reviewDueOn',
    'lawfulBasis',
    'consentStatus',
    'consentScope',
    'consentRecordedOn',
    'closureReason',
    'retainUntil',
  ];
  return fields.filter((field) => (before[field] ?? null) !== (after[field] ?? null));
}

const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null);

/**
 * The plan as it stands, for its history: the plan's columns (named as the table names them,
 * like the seeded first versions) and its current care team. Not the subject: who the plan is
 * about stays in its own table.
 */
export function snapshotOf(plan: CarePlan, team: readonly CareTeamMember[]): Record<string, unknown> {
  return {
    tenant_id: plan.tenantId,
    id: plan.id,
    reference: plan.reference,
    status: plan.status,
    lead_milo_id: plan.leadMiloId,
    review_due_on: plan.reviewDueOn,
    lawful_basis: plan.lawfulBasis,
    consent_status: plan.consentStatus,
    consent_scope: plan.consentScope,
    consent_recorded_on: plan.consentRecordedOn,
    presentation_and_triggers: plan.presentationAndTriggers,
    what_helps: plan.whatHelps,
    what_to_avoid: plan.whatToAvoid,
    agreed_response: plan.agreedResponse,
    contacts: plan.contacts,
    closed_at: isoOrNull(plan.closedAt),
    closure_reason: plan.closureReason,
    retain_until: plan.retainUntil,
    care_team: team.map((member) => ({
      id: member.id,
      member_organisation_id: member.memberOrganisationId,
      member_person_id: member.memberPersonId,
      display_name: member.displayName,
      role: member.role,
    })),
  };
}
