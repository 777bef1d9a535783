import { changeSummary, changedFields, describeChanges, snapshotOf, type PlanState } from '../../src/modules/care-plans/care-plan-history';
import { CarePlan } from '../../src/modules/care-plans/care-plan.entity';
import { CareTeamMember } from '../../src/modules/care-plans/care-team-member.entity';

/*
 * A plan's history: what each version says changed. The summary outlives anonymisation, so it
 * must name fields and statuses, never the text the plan held.
 */

const state: PlanState = {
  status: 'DRAFT',
  leadMiloId: 'milo-1',
  reviewDueOn: null,
  lawfulBasis: 'DPA 2018 s.35',
  consentStatus: 'NOT_RECORDED',
  consentScope: null,
  consentRecordedOn: null,
  presentationAndTriggers: 'Becomes distressed near the bridge',
  whatHelps: null,
  whatToAvoid: null,
  agreedResponse: null,
  contacts: null,
  closedAt: null,
  closureReason: null,
  retainUntil: null,
};

describe('describing a change', () => {
  it('names each kind of change once, in a fixed order', () => {
    const after: PlanState = { ...state, status: 'ACTIVE', whatHelps: 'A calm voice', agreedResponse: 'Call street triage', reviewDueOn: '2026-09-01' };
    expect(describeChanges(state, after)).toEqual(['status DRAFT → ACTIVE', 'sections changed: what helps, agreed response', 'review due 2026-09-01']);
    expect(changeSummary(describeChanges(state, after))).toBe('Status DRAFT → ACTIVE; sections changed: what helps, agreed response; review due 2026-09-01');
  });

  it('never repeats the text of a section, the consent scope or a reason', () => {
    const after: PlanState = {
      ...state,
      presentationAndTriggers: 'Secret detail about the subject',
      consentStatus: 'GIVEN',
      consentScope: 'Sharing with the named nurse',
      consentRecordedOn: '2026-06-01',
      status: 'CLOSED',
      closureReason: 'Moved to Leeds',
      retainUntil: '2032-06-01',
    };
    const summary = changeSummary(describeChanges(state, after));
    expect(summary).toBe(
      'Status DRAFT → CLOSED; sections changed: presentation and triggers; consent GIVEN on 2026-06-01; kept until 2032-06-01',
    );
    for (const text of ['Secret', 'named nurse', 'Leeds', 'bridge']) expect(summary).not.toContain(text);
  });

  it('tells removing a lead or a review date from changing it', () => {
    expect(describeChanges(state, { ...state, leadMiloId: null })).toEqual(['lead MILO removed']);
    expect(describeChanges(state, { ...state, leadMiloId: 'milo-2' })).toEqual(['lead MILO changed']);
    expect(describeChanges({ ...state, reviewDueOn: '2026-01-01' }, state)).toEqual(['review date removed']);
  });

  it('finds nothing when nothing changed, and treats an absent section as an empty one', () => {
    expect(describeChanges(state, { ...state })).toEqual([]);
    expect(changedFields(state, { ...state, whatHelps: undefined as unknown as null })).toEqual([]);
    expect(changeSummary([])).toBe('No change');
  });

  it('lists the fields a change touched, by name, for the audit log', () => {
    expect(changedFields(state, { ...state, whatHelps: 'x', lawfulBasis: 'Consent', consentScope: 'y' })).toEqual([
      'whatHelps',
      'lawfulBasis',
      'consentScope',
    ]);
  });

  it('keeps a summary within what the table holds', () => {
    const long = Array.from({ length: 100 }, (_, index) => `change number ${index}`);
    expect(changeSummary(long)).toHaveLength(500);
  });
});

describe('snapshots', () => {
  it('keeps the plan as the table names its columns, with its current care team and no subject', () => {
    const plan = Object.assign(new CarePlan(), {
      ...state,
      tenantId: 'police',
      id: 'plan-1',
      reference: 'CP-1',
      closedAt: new Date('2026-06-01T10:00:00Z'),
      careTeamOrganisationIds: ['police'],
      version: 3,
    });
    const member = Object.assign(new CareTeamMember(), {
      id: 'member-1',
      memberOrganisationId: 'nhs',
      memberPersonId: null,
      displayName: 'Beth Carter RMN',
      role: 'Community mental health nurse',
    });
    const snapshot = snapshotOf(plan, [member]);
    expect(snapshot).toMatchObject({
      id: 'plan-1',
      reference: 'CP-1',
      status: 'DRAFT',
      presentation_and_triggers: 'Becomes distressed near the bridge',
      closed_at: '2026-06-01T10:00:00.000Z',
      care_team: [{ id: 'member-1', member_organisation_id: 'nhs', member_person_id: null, display_name: 'Beth Carter RMN', role: 'Community mental health nurse' }],
    });
    expect(Object.keys(snapshot)).not.toEqual(expect.arrayContaining(['subject']));
  });
});
