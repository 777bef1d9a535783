import { addDays, ukDateOf } from '../src/platform/calendar';
import { FIRE, POLICE, SOUTHERN_HEALTH, asTenant, demoIds, expectError, toGlobalId, usePlatform, personas, type Caller } from './support/platform';
import { databaseIdOf } from './support/partner-unit';

/*
 * The subject's rights over a care plan (issue 5, item 8): a data protection officer exports
 * everything the owner holds about the plan's subject; once the plan is closed and its
 * retention has ended, a scheme admin anonymises it, leaving the skeleton and the audit log,
 * which never held free text. Plans here are this file's own, made through the API.
 */

const { platform, owner } = usePlatform();
const police = demoIds.organisation(POLICE);
const southern = demoIds.organisation(SOUTHERN_HEALTH);
const today = ukDateOf(new Date());
const tag = Math.random().toString(36).slice(2, 7).toUpperCase();

const milo: Caller = personas.police.member('hc-milo-02');
const admin: Caller = personas.police.admin;
const auditor: Caller = personas.police.auditor;
const clinician: Caller = personas.southernHealth.clinician;
const fireAuditor: Caller = personas.fire.auditor;
const fireAdmin: Caller = personas.fire.admin;

/** Free text the plan holds: none of it may survive anonymisation, or ever reach the audit log. */
const TEXT = {
  subject: 'Riley Erasure',
  localIdentifiers: 'Niche 998877',
  presentation: 'Walks the A33 at night when voices are loud.',
  helps: 'Talking about football; a lift home.',
  consentScope: 'Sharing with the community mental health team.',
  sharedInput: 'Engaged well at the last contact.',
  internalInput: 'Intelligence report 4471 cross-referenced.',
  carerInput: 'Her father says she stops eating first.',
  note: 'Warning marker reviewed: none.',
  closure: 'Moved to another force area.',
  carerRelationship: 'Father, Sam Erasure',
  typedMember: 'Sam Erasure (father, key holder)',
};
const FREE_TEXT = new RegExp(Object.values(TEXT).map((text) => text.replace(/[.;]/g, '\\$&')).join('|'));

const EXPORT = `query($id: ID!) { carePlanSubjectAccessExport(carePlanId: $id) }`;
const ANONYMISE = `mutation($input: AnonymiseCarePlanInput!) { anonymiseCarePlan(input: $input) { carePlan { id status anonymisedAt version } } }`;
const READ = `query($id: ID!) {
  carePlan(id: $id) {
    reference status version anonymisedAt closureReason retainUntil presentationAndTriggers whatHelps lawfulBasis
    consent { status scope recordedOn } subject { displayName }
    careTeam { displayName role organisation { slug } }
    inputs { kind visibility body carerRelationship authorName }
    internalNotes { body }
    versions { version changeSummary snapshot }
  }
}`;

async function call(caller: Caller, query: string, variables: Record<string, unknown>) {
  const response = await platform.graphql(caller, query, variables);
  expect(response.errors).toBeUndefined();
  return response.data!;
}

/** A plan with everything a plan holds: subject, sections, consent, team, inputs of each kind, a note; read by the partner. */
async function fullPlan(name: string): Promise<{ globalId: string; id: string }> {
  const created = await call(milo, `mutation($input: CreateCarePlanInput!) { createCarePlan(input: $input) { carePlan { id } } }`, {
    input: {
      reference: `CPE-${tag}-${name}`,
      lawfulBasis: 'DPA 2018 Part 3, s.35.',
      presentationAndTriggers: TEXT.presentation,
      whatHelps: TEXT.helps,
      reviewDueOn: addDays(today, 10),
      subject: { displayName: TEXT.subject, dateOfBirth: '1988-02-29', nhsNumber: '4010232137', localIdentifiers: TEXT.localIdentifiers },
    },
  });
  const globalId: string = created.createCarePlan.carePlan.id;
  const carePlanId = globalId;
  await call(milo, `mutation($input: UpdateCarePlanInput!) { updateCarePlan(input: $input) { carePlan { id } } }`, { input: { carePlanId, status: 'ACTIVE' } });
  await call(milo, `mutation($input: RecordCarePlanConsentInput!) { recordCarePlanConsent(input: $input) { carePlan { id } } }`, {
    input: { carePlanId, status: 'GIVEN', scope: TEXT.consentScope, recordedOn: today },
  });
  await call(milo, `mutation($input: AddCareTeamMemberInput!) { addCareTeamMember(input: $input) { careTeamMember { id } } }`, {
    input: { carePlanId, organisationId: toGlobalId('Organisation', southern), displayName: 'Dr Omar Haddad', role: 'Consultant psychiatrist' },
  });
  const addInput = `mutation($input: AddCarePlanInputInput!) { addCarePlanInput(input: $input) { input { id } } }`;
  await call(milo, addInput, { input: { carePlanId, kind: 'MILO', visibility: 'SHARED', body: TEXT.sharedInput } });
  await call(milo, addInput, { input: { carePlanId, kind: 'MILO', visibility: 'INTERNAL', body: TEXT.internalInput } });
  await call(milo, addInput, { input: { carePlanId, kind: 'CARER', visibility: 'SHARED', body: TEXT.carerInput, carerRelationship: TEXT.carerRelationship } });
  // A name typed in without a person record: personal data of someone close to the subject.
  await call(milo, `mutation($input: AddCareTeamMemberInput!) { addCareTeamMember(input: $input) { careTeamMember { id } } }`, {
    input: { carePlanId, organisationId: toGlobalId('Organisation', southern), displayName: TEXT.typedMember, role: 'Family contact' },
  });
  await call(milo, `mutation($input: AddCarePlanInternalNoteInput!) { addCarePlanInternalNote(input: $input) { internalNote { id } } }`, {
    input: { carePlanId, body: TEXT.note },
  });
  // The partner reads the plan and its shared inputs: events in the owner's log.
  await call(clinician, `query($id: ID!) { carePlan(id: $id) { whatHelps inputs { body } } }`, { id: carePlanId });
  return { globalId, id: databaseIdOf(globalId) };
}

async function close(globalId: string, retainUntil: string) {
  await call(milo, `mutation($input: CloseCarePlanInput!) { closeCarePlan(input: $input) { carePlan { status } } }`, {
    input: { carePlanId: globalId, reason: TEXT.closure, retainUntil },
  });
}

/** The passage of time: the plan's retention ended yesterday (closeCarePlan only takes today or later). */
async function retentionEnded(id: string) {
  await asTenant(owner, police, () => owner.query(`update care_plan set retain_until = $2 where id = $1`, [id, addDays(today, -1)]));
}

async function rows(id: string) {
  return asTenant(owner, police, async () => {
    const one = async (sql: string) => (await owner.query(sql, [id])).rows;
    return {
      plan: (await one(`select * from care_plan where id = $1`))[0],
      subjects: await one(`select * from care_plan_subject where care_plan_id = $1`),
      inputs: await one(`select kind, visibility, body, removed_at, carer_relationship, author_name from care_plan_input where care_plan_id = $1 order by created_at`),
      notes: await one(`select body, removed_at from care_plan_internal_note where care_plan_id = $1`),
      versions: await one(`select version, snapshot, change_summary, anonymised_at from care_plan_version where care_plan_id = $1 order by version`),
      team: await one(`select display_name, role, removed_at from care_team_member where care_plan_id = $1`),
      events: await one(
        `select action, outcome, actor_organisation_id, details, purpose from audit_event
          where entity_id = $1 or details ->> 'carePlanId' = $1::text
             or entity_id in (select id from care_plan_input where care_plan_id = $1)
             or details -> 'ids' ?| array(select id::text from care_plan_input where care_plan_id = $1)
          order by occurred_at, id`,
      ),
    };
  });
}

describe('subject access export', () => {
  let plan: { globalId: string; id: string };

  beforeAll(async () => {
    plan = await fullPlan('SAR');
  });

  it('gives the data protection officer everything held: plan, subject, team, all inputs, notes, versions and the audit events', async () => {
    const exported = (await call(auditor, EXPORT, { id: plan.globalId })).carePlanSubjectAccessExport;
    expect(exported.carePlan).toMatchObject({
      id: plan.id,
      reference: `CPE-${tag}-SAR`,
      status: 'ACTIVE',
      owner: { id: police, name: expect.any(String) },
      consent: { status: 'GIVEN', scope: TEXT.consentScope, recordedOn: today },
      sections: { presentationAndTriggers: TEXT.presentation, whatHelps: TEXT.helps, whatToAvoid: null },
      anonymisedAt: null,
    });
    expect(exported.subject).toEqual({ displayName: TEXT.subject, dateOfBirth: '1988-02-29', nhsNumber: '4010232137', localIdentifiers: TEXT.localIdentifiers });
    expect(exported.careTeam).toEqual([
      expect.objectContaining({ displayName: 'Dr Omar Haddad', organisation: { id: southern, name: expect.stringMatching(/Southern Health/) } }),
      expect.objectContaining({ displayName: TEXT.typedMember, role: 'Family contact', personId: null }),
    ]);
    expect(exported.inputs.map((input: any) => [input.kind, input.visibility, input.body])).toEqual([
      ['MILO', 'SHARED', TEXT.sharedInput],
      ['MILO', 'INTERNAL', TEXT.internalInput],
      ['CARER', 'SHARED', TEXT.carerInput],
    ]);
    expect(exported.internalNotes.map((note: any) => note.body)).toEqual([TEXT.note]);
    expect(exported.versions.map((version: any) => version.version)).toEqual([1, 2, 3, 4, 5]);
    expect(exported.versions[0].snapshot).toMatchObject({ presentation_and_triggers: TEXT.presentation });

    const actions = exported.auditEvents.map((event: any) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'CARE_PLAN_CREATED',
        'CARE_PLAN_UPDATED',
        'CARE_PLAN_CONSENT_RECORDED',
        'CARE_TEAM_MEMBER_ADDED',
        'CARE_PLAN_INPUT_ADDED',
        'CARE_PLAN_INTERNAL_NOTE_ADDED',
        'CARE_PLAN_READ',
        'CARE_PLAN_INPUT_READ',
      ]),
    );
    const partnerRead = exported.auditEvents.find((event: any) => event.action === 'CARE_PLAN_READ');
    expect(partnerRead).toMatchObject({
      actorOrganisation: { id: southern, name: expect.stringMatching(/Southern Health/) },
      actorSubject: 'sh-clinician-1',
      outcome: 'ALLOWED',
      purpose: expect.stringMatching(/^Coordinating the police response/),
    });

    const logged = (await rows(plan.id)).events.filter((event) => event.action === 'CARE_PLAN_SUBJECT_ACCESS_EXPORTED');
    expect(logged).toEqual([
      expect.objectContaining({
        outcome: 'ALLOWED',
        actor_organisation_id: police,
        details: expect.objectContaining({ carePlanId: plan.id, withSubject: true, counts: expect.objectContaining({ inputs: 3, internalNotes: 1, versions: 5 }) }),
      }),
    ]);
    expect(JSON.stringify(logged)).not.toMatch(FREE_TEXT);
  });

  it('is for data protection officers only: FORBIDDEN to scheme admins, MILOs and partners; NOT_FOUND for another organisation; nothing logged', async () => {
    const before = (await rows(plan.id)).events.length;
    for (const caller of [admin, milo, clinician]) expectError(await platform.graphql(caller, EXPORT, { id: plan.globalId }), 'FORBIDDEN');
    expectError(await platform.graphql(fireAuditor, EXPORT, { id: plan.globalId }), 'NOT_FOUND');
    expectError(await platform.graphql(auditor, EXPORT, { id: toGlobalId('CarePlan', demoIds.carePlan(FIRE, 'CP-HFRS-0001')) }), 'NOT_FOUND');
    expect((await rows(plan.id)).events.filter((event) => event.action !== 'CARE_PLAN_READ' && event.outcome === 'DENIED')).toEqual([]);
    expect((await rows(plan.id)).events.length).toBe(before);
  });
});

describe('anonymisation at the end of retention', () => {
  let plan: { globalId: string; id: string };

  beforeAll(async () => {
    plan = await fullPlan('ERASE');
  });

  it('refuses an open plan, a closed plan still kept, and anyone but a scheme admin of the owner; nothing changes', async () => {
    const before = await rows(plan.id);
    const open = expectError(await platform.graphql(admin, ANONYMISE, { input: { carePlanId: plan.globalId } }), 'CONFLICT');
    expect(open.message).toBe('Only a closed care plan can be anonymised; this one is ACTIVE');

    await close(plan.globalId, today);
    const closed = await rows(plan.id);
    const kept = expectError(await platform.graphql(admin, ANONYMISE, { input: { carePlanId: plan.globalId } }), 'CONFLICT');
    expect(kept.message).toBe(`The care plan is kept until ${today}; it can be anonymised from the day after`);

    await retentionEnded(plan.id);
    for (const caller of [milo, auditor, clinician]) expectError(await platform.graphql(caller, ANONYMISE, { input: { carePlanId: plan.globalId } }), 'FORBIDDEN');
    expectError(await platform.graphql(fireAdmin, ANONYMISE, { input: { carePlanId: plan.globalId } }), 'NOT_FOUND');
    const after = await rows(plan.id);
    expect(after.subjects).toEqual(closed.subjects);
    expect(after.inputs).toEqual(closed.inputs);
    expect(after.versions).toEqual(closed.versions);
    expect(after.plan.anonymised_at).toBeNull();
    expect(before.plan.status).toBe('ACTIVE');
  });

  it('deletes the subject, empties sections, consent scope, reason and snapshots, removes input and note text; audited without free text', async () => {
    const before = await rows(plan.id);
    expect(JSON.stringify(before)).toMatch(FREE_TEXT);
    const result = (await call(admin, ANONYMISE, { input: { carePlanId: plan.globalId } })).anonymiseCarePlan.carePlan;
    expect(result).toMatchObject({ status: 'CLOSED', version: before.plan.version + 1 });
    expect(result.anonymisedAt).not.toBeNull();

    const after = await rows(plan.id);
    expect(after.subjects).toEqual([]);
    expect(after.plan).toMatchObject({
      presentation_and_triggers: null,
      what_helps: null,
      what_to_avoid: null,
      agreed_response: null,
      contacts: null,
      consent_scope: null,
      consent_status: 'GIVEN',
      closure_reason: null,
      status: 'CLOSED',
      reference: `CPE-${tag}-ERASE`,
    });
    expect(after.plan.anonymised_at).not.toBeNull();
    expect(after.inputs).toHaveLength(3);
    for (const input of after.inputs) {
      expect(input.body).toBeNull();
      expect(input.removed_at).not.toBeNull();
    }
    expect(after.inputs.map((input) => [input.kind, input.visibility, input.carer_relationship])).toEqual([
      ['MILO', 'SHARED', null],
      ['MILO', 'INTERNAL', null],
      ['CARER', 'SHARED', null],
    ]);
    expect(after.notes).toEqual([{ body: null, removed_at: expect.any(Date) }]);
    expect(after.versions.map((version) => [version.version, version.snapshot, version.anonymised_at !== null])).toEqual(
      before.versions.map((version) => [version.version, {}, true]).concat([[before.plan.version + 1, {}, true]]),
    );
    expect(after.versions.at(-1).change_summary).toBe('Anonymised at the end of its retention');
    expect(after.team).toHaveLength(2);

    // Nothing of what the plan said survives anywhere in its rows, its history or the audit log.
    expect(JSON.stringify(after)).not.toMatch(FREE_TEXT);
    const event = after.events.find((row) => row.action === 'CARE_PLAN_ANONYMISED');
    expect(event.details).toMatchObject({ subjectDeleted: true, inputsCleared: 3, internalNotesCleared: 1, versionsEmptied: before.versions.length });
  });

  it('reads afterwards as the skeleton only, to the owner and in the export; it no longer changes and is not anonymised twice', async () => {
    const read = (await call(milo, READ, { id: plan.globalId })).carePlan;
    expect(read).toMatchObject({
      status: 'CLOSED',
      presentationAndTriggers: null,
      whatHelps: null,
      closureReason: null,
      consent: { status: 'GIVEN', scope: null },
      subject: null,
      internalNotes: [{ body: null }],
      // Names typed in without a person record go with the plan; the organisations stay.
      careTeam: [
        { displayName: '[removed]', role: '[removed]', organisation: { slug: SOUTHERN_HEALTH } },
        { displayName: '[removed]', role: '[removed]', organisation: { slug: SOUTHERN_HEALTH } },
      ],
    });
    expect(read.anonymisedAt).not.toBeNull();
    expect(read.inputs.every((input: any) => input.body === null)).toBe(true);
    expect(read.versions.every((version: any) => version.snapshot === null)).toBe(true);

    const exported = (await call(auditor, EXPORT, { id: plan.globalId })).carePlanSubjectAccessExport;
    expect(exported.subject).toBeNull();
    expect(exported.carePlan.anonymisedAt).not.toBeNull();
    expect(JSON.stringify(exported)).not.toMatch(FREE_TEXT);

    const again = expectError(await platform.graphql(admin, ANONYMISE, { input: { carePlanId: plan.globalId } }), 'CONFLICT');
    expect(again.message).toBe('The care plan has already been anonymised');
    expectError(
      await platform.graphql(milo, `mutation($input: UpdateCarePlanInput!) { updateCarePlan(input: $input) { carePlan { id } } }`, {
        input: { carePlanId: plan.globalId, whatHelps: 'Back again' },
      }),
      'CONFLICT',
    );
  });
});
