import type { CarePlan as FhirCarePlan, Bundle, CareTeam, Consent, Patient, Provenance, Resource } from '@medplum/fhirtypes';
import { validateR4 } from './support/fhir-r4-validator';
import { createAgreement, createTestUnit, revokeAgreement, setAgreementEnd, type TestUnit } from './support/partner-unit';
import {
  FIRE,
  OCCUPATIONAL_HEALTH,
  POLICE,
  SOLENT,
  SOUTHERN_HEALTH,
  asTenant,
  demoIds,
  expectError,
  toGlobalId,
  usePlatform,
  personas,
  type Caller,
} from './support/platform';

/*
 * The FHIR R4 export of care plans through the API (issue 5, item 7): the seeded CP-HC-0001
 * exported by the owner and by each partner passes the R4 check and carries exactly what the
 * caller's scope allows; every export is in the owner's log, every refusal too (DENIED).
 *
 * The seeded plans and agreements are only read here. The partner that sees the subject's
 * identity, and whose agreement expires and is revoked, is a throwaway organisation on a plan
 * of this file's own (other files read the seeded agreements while this one runs).
 */

const { platform, owner } = usePlatform();
const police = demoIds.organisation(POLICE);
const southernHealth = demoIds.organisation(SOUTHERN_HEALTH);
const solent = demoIds.organisation(SOLENT);
const occupationalHealth = demoIds.organisation(OCCUPATIONAL_HEALTH);
const fire = demoIds.organisation(FIRE);

const CP1 = demoIds.carePlan(POLICE, 'CP-HC-0001');
const CP2 = demoIds.carePlan(POLICE, 'CP-HC-0002');
const input = (key: string) => demoIds.carePlanInput(POLICE, 'CP-HC-0001', key);

const leadMilo: Caller = personas.police.otherStaff;
const dataProtectionOfficer: Caller = personas.police.auditor;
const staffWithoutMembership: Caller = personas.police.staff;
const policeAdmin: Caller = personas.police.admin;
const southernClinician: Caller = personas.southernHealth.clinician;
const solentClinician: Caller = personas.solent.clinician;
const fireLead: Caller = personas.fire.lead;
const occupationalAdviser: Caller = personas.occupationalHealth.adviser;

const EXPORT = `query($id: ID!, $internal: Boolean) { exportCarePlanFhir(carePlanId: $id, includeInternal: $internal) }`;

async function exportAs(caller: Caller, planId: string, includeInternal?: boolean) {
  return platform.graphql(caller, EXPORT, { id: toGlobalId('CarePlan', planId), internal: includeInternal });
}

async function bundleAs(caller: Caller, planId: string, includeInternal?: boolean): Promise<Bundle> {
  const response = await exportAs(caller, planId, includeInternal);
  expect(response.errors).toBeUndefined();
  return response.data!.exportCarePlanFhir as Bundle;
}

const resourcesOf = <T extends Resource>(bundle: Bundle, type: T['resourceType']) =>
  (bundle.entry ?? []).map((entry) => entry.resource as Resource).filter((resource): resource is T => resource.resourceType === type);
const carePlanOf = (bundle: Bundle) => resourcesOf<FhirCarePlan>(bundle, 'CarePlan')[0];
const sectionsOf = (bundle: Bundle) =>
  (carePlanOf(bundle).note ?? []).flatMap((note) => (note.id?.startsWith('section-') ? [note.id.slice('section-'.length)] : []));
// By the plan's notes: a Provenance per input goes out only with the field scope `timestamps`.
const inputIdsOf = (bundle: Bundle) =>
  (carePlanOf(bundle).note ?? []).flatMap((note) => (note.id?.startsWith('input-') ? [note.id.slice('input-'.length)] : []));

interface AuditRow {
  action: string;
  actor_organisation_id: string;
  actor_subject: string;
  purpose: string | null;
  outcome: string;
  details: Record<string, any>;
}

/** Events about a plan in its owner's log (read as the owner would, under its tenant context). */
async function eventsFor(ownerTenantId: string, planId: string, action: string): Promise<AuditRow[]> {
  const { rows } = await asTenant(owner, ownerTenantId, () =>
    owner.query(
      `select action, actor_organisation_id, actor_subject, purpose, outcome, details
         from audit_event where entity_id = $1 and action = $2 order by occurred_at, id`,
      [planId, action],
    ),
  );
  return rows;
}

/** The one CARE_PLAN_EXPORTED event of a bundle (matched by its id). */
async function exportEventOf(ownerTenantId: string, planId: string, bundle: Bundle): Promise<AuditRow> {
  const events = (await eventsFor(ownerTenantId, planId, 'CARE_PLAN_EXPORTED')).filter((event) => event.details.bundleId === bundle.id);
  expect(events).toHaveLength(1);
  return events[0];
}

/** Runs a refused export and returns the DENIED events it added to the owner's log. */
async function refusalsOf(ownerTenantId: string, planId: string, subject: string, refused: () => Promise<unknown>): Promise<AuditRow[]> {
  const before = (await eventsFor(ownerTenantId, planId, 'CARE_PLAN_EXPORT_REFUSED')).length;
  await refused();
  return (await eventsFor(ownerTenantId, planId, 'CARE_PLAN_EXPORT_REFUSED')).slice(before).filter((event) => event.actor_subject === subject);
}

async function purposeOf(ownerTenantId: string, partnerId: string): Promise<string> {
  const { rows } = await asTenant(owner, ownerTenantId, () =>
    owner.query(`select purpose from data_sharing_agreement where partner_organisation_id = $1 and status = 'ACTIVE' order by created_at limit 1`, [partnerId]),
  );
  return rows[0].purpose;
}

describe('the owner exports its plan', () => {
  it('as a valid R4 Bundle with every section, the subject, consent, team and shared inputs; logged in its own log', async () => {
    const bundle = await bundleAs(leadMilo, CP1);
    expect(validateR4(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(new Set(bundle.entry!.map((entry) => entry.resource!.resourceType))).toEqual(
      new Set(['CarePlan', 'Patient', 'CareTeam', 'Consent', 'Provenance', 'Organization']),
    );

    const carePlan = carePlanOf(bundle);
    expect(carePlan).toMatchObject({ id: CP1, status: 'active', intent: 'plan', title: 'Care plan CP-HC-0001' });
    expect(sectionsOf(bundle)).toEqual(['presentationAndTriggers', 'whatHelps', 'whatToAvoid', 'agreedResponse', 'contacts']);
    const [patient] = resourcesOf<Patient>(bundle, 'Patient');
    expect(patient.name).toEqual([{ text: 'Alex Morgan' }]);
    expect(patient.birthDate).toBe('1984-05-12');
    expect(patient.identifier).toContainEqual({ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' });
    expect(resourcesOf<Consent>(bundle, 'Consent')[0]).toMatchObject({ status: 'active', dateTime: '2026-03-02' });
    const [careTeam] = resourcesOf<CareTeam>(bundle, 'CareTeam');
    // Seeded together: the order among members added at the same moment is not part of the contract.
    expect(careTeam.participant!.map((participant) => [participant.member!.display, participant.role![0].text, participant.onBehalfOf!.reference]).sort()).toEqual([
      ['Dr Omar Haddad', 'Consultant psychiatrist', `urn:uuid:${southernHealth}`],
      ['Dr Tom Reid', 'Crisis team clinician', `urn:uuid:${solent}`],
      ['Lead MILO, Southampton', 'Lead MILO', `urn:uuid:${police}`],
    ]);
    expect(resourcesOf(bundle, 'Organization').map((organisation) => organisation.id).sort()).toEqual([police, southernHealth, solent].sort());

    // SHARED inputs only unless the owner asks for its internal material.
    expect(new Set(inputIdsOf(bundle))).toEqual(new Set([input('milo-shared'), input('carer'), input('southern-health')]));
    const text = JSON.stringify(bundle);
    expect(text).not.toContain(input('milo-internal'));
    expect(text).not.toContain('Intelligence log');
    expect(text).not.toContain('Firearms');

    const event = await exportEventOf(police, CP1, bundle);
    expect(event).toMatchObject({ actor_organisation_id: police, actor_subject: 'hc-staff-2', outcome: 'ALLOWED', purpose: null });
    expect(event.details).toMatchObject({ format: 'FHIR_R4_BUNDLE', subjectIdentity: true, consent: true });
    expect(new Set(event.details.inputIds)).toEqual(new Set(inputIdsOf(bundle)));
  });

  it('with its internal material when it asks, labelled restricted, still valid', async () => {
    const bundle = await bundleAs(leadMilo, CP1, true);
    expect(validateR4(bundle)).toEqual([]);
    expect(bundle.meta?.security).toEqual([expect.objectContaining({ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' })]);
    expect(inputIdsOf(bundle)).toContain(input('milo-internal'));
    const notes = carePlanOf(bundle).note!.map((note) => note.text);
    expect(notes).toContainEqual(expect.stringMatching(/^Internal input \(owner only\): Intelligence log/));
    expect(notes).toContainEqual('Internal note (owner only): Firearms licence check completed: none held.');
    expect((await exportEventOf(police, CP1, bundle)).details).toMatchObject({ internalNotes: 1 });
  });

  it('as its data protection officer (AUDITOR), and a plan under review stays in force with its review in progress', async () => {
    const bundle = await bundleAs(dataProtectionOfficer, CP2);
    expect(validateR4(bundle)).toEqual([]);
    const carePlan = carePlanOf(bundle);
    expect(carePlan.status).toBe('active');
    expect(carePlan.activity![0].detail).toMatchObject({ status: 'in-progress', code: { text: 'Care plan review' } });
    expect(resourcesOf(bundle, 'Consent')).toEqual([]);
    await exportEventOf(police, CP2, bundle);
  });

  it('not by its staff who do not work care plans: FORBIDDEN, and DENIED in its log', async () => {
    for (const caller of [staffWithoutMembership, policeAdmin]) {
      let response: Awaited<ReturnType<typeof exportAs>> | undefined;
      const denied = await refusalsOf(police, CP1, caller.subject!, async () => {
        response = await exportAs(caller, CP1);
      });
      expectError(response!, 'FORBIDDEN');
      expect(denied).toEqual([expect.objectContaining({ outcome: 'DENIED', actor_organisation_id: police, details: { reason: 'NOT_A_CARE_PLAN_READER' } })]);
    }
  });
});

describe('a partner exports a plan shared with it', () => {
  it('Southern Health: valid, its scope only (sections, consent, review date), no subject identity, no internal material', async () => {
    const bundle = await bundleAs(southernClinician, CP1);
    expect(validateR4(bundle)).toEqual([]);
    expect(sectionsOf(bundle)).toEqual(['presentationAndTriggers', 'whatHelps', 'whatToAvoid', 'agreedResponse', 'contacts']);
    expect(resourcesOf(bundle, 'Patient')).toEqual([]);
    expect(carePlanOf(bundle).subject).toMatchObject({ identifier: { value: 'CP-HC-0001' } });
    expect(resourcesOf<Consent>(bundle, 'Consent')).toHaveLength(1);
    expect(carePlanOf(bundle).activity![0].detail!.scheduledTiming!.event).toHaveLength(1);
    expect(new Set(inputIdsOf(bundle))).toEqual(new Set([input('milo-shared'), input('carer'), input('southern-health')]));

    const text = JSON.stringify(bundle);
    for (const withheld of ['Alex Morgan', '1984-05-12', '9434765919', input('milo-internal'), 'Intelligence log', 'Firearms']) {
      expect({ withheld, present: text.includes(withheld) }).toEqual({ withheld, present: false });
    }

    const event = await exportEventOf(police, CP1, bundle);
    expect(event).toMatchObject({
      actor_organisation_id: southernHealth,
      actor_subject: 'sh-clinician-1',
      outcome: 'ALLOWED',
      purpose: await purposeOf(police, southernHealth),
    });
    expect(event.details).toMatchObject({ subjectIdentity: false, internalNotes: 0 });
  });

  it('Solent: only what helps, what to avoid and the agreed response; no consent, no review date', async () => {
    const bundle = await bundleAs(solentClinician, CP1);
    expect(validateR4(bundle)).toEqual([]);
    expect(sectionsOf(bundle)).toEqual(['whatHelps', 'whatToAvoid', 'agreedResponse']);
    expect(resourcesOf(bundle, 'Consent')).toEqual([]);
    expect(resourcesOf(bundle, 'Patient')).toEqual([]);
    expect(carePlanOf(bundle).activity).toBeUndefined();
    const text = JSON.stringify(bundle);
    for (const withheld of ['Itchen Bridge', 'Antelope House', 'Alex Morgan', input('milo-internal'), 'Firearms']) {
      expect({ withheld, present: text.includes(withheld) }).toEqual({ withheld, present: false });
    }
    expect(new Set(inputIdsOf(bundle))).toEqual(new Set([input('milo-shared'), input('carer'), input('southern-health')]));
    const event = await exportEventOf(police, CP1, bundle);
    expect(event).toMatchObject({ actor_organisation_id: solent, purpose: await purposeOf(police, solent) });
    expect(event.details.sections).toEqual(['whatHelps', 'whatToAvoid', 'agreedResponse']);
  });

  it('a partner whose scope does not name `timestamps` learns no dates from the export: no created, lastUpdated, period, note times or Provenance', async () => {
    for (const caller of [southernClinician, solentClinician]) {
      const bundle = await bundleAs(caller, CP1);
      expect(validateR4(bundle)).toEqual([]);
      const carePlan = carePlanOf(bundle);
      expect({ created: carePlan.created, period: carePlan.period, lastUpdated: carePlan.meta?.lastUpdated }).toEqual({
        created: undefined,
        period: undefined,
        lastUpdated: undefined,
      });
      expect((carePlan.note ?? []).map((note) => note.time).filter(Boolean)).toEqual([]);
      expect(resourcesOf<CareTeam>(bundle, 'CareTeam')[0].participant!.map((participant) => participant.period).filter(Boolean)).toEqual([]);
      expect(resourcesOf(bundle, 'Provenance')).toEqual([]);
    }
    // The owner's own export of the same plan carries them.
    const own = carePlanOf(await bundleAs(leadMilo, CP1));
    expect(own.created).toBeDefined();
    expect(own.meta?.lastUpdated).toBeDefined();
  });

  it('never with internal material: FORBIDDEN, and DENIED in the owner’s log with the agreement’s purpose', async () => {
    let response: Awaited<ReturnType<typeof exportAs>> | undefined;
    const denied = await refusalsOf(police, CP1, 'sh-clinician-1', async () => {
      response = await exportAs(southernClinician, CP1, true);
    });
    expectError(response!, 'FORBIDDEN');
    expect(denied).toEqual([
      expect.objectContaining({ outcome: 'DENIED', actor_organisation_id: southernHealth, purpose: await purposeOf(police, southernHealth), details: { reason: 'INTERNAL_NOT_SHARED' } }),
    ]);
  });

  it('not a plan whose conditions fail (Solent needs consent; CP-HC-0002 has none): FORBIDDEN naming the rule, DENIED in the owner’s log', async () => {
    let response: Awaited<ReturnType<typeof exportAs>> | undefined;
    const denied = await refusalsOf(police, CP2, 'solent-clinician-1', async () => {
      response = await exportAs(solentClinician, CP2);
    });
    expectError(response!, 'FORBIDDEN');
    expect(denied).toEqual([expect.objectContaining({ outcome: 'DENIED', actor_organisation_id: solent, details: { reason: 'CONDITIONS_NOT_MET' } })]);
  });
});

describe('others cannot export the plan', () => {
  it('fire, with no agreement from police: NOT_FOUND as for no plan, nothing in police’s log, the attempt in its own', async () => {
    let response: Awaited<ReturnType<typeof exportAs>> | undefined;
    const denied = await refusalsOf(police, CP1, 'hfrs-lead-01', async () => {
      response = await exportAs(fireLead, CP1);
    });
    expectError(response!, 'NOT_FOUND');
    expect(denied).toEqual([]);
    expect(await eventsFor(fire, CP1, 'CARE_PLAN_EXPORT_REFUSED')).toContainEqual(
      expect.objectContaining({ outcome: 'DENIED', actor_organisation_id: fire, actor_subject: 'hfrs-lead-01', details: { reason: 'UNKNOWN_PLAN' } }),
    );
  });

  it('the occupational-health unit, a partner of police without a care-plan agreement: FORBIDDEN naming the missing agreement, DENIED in police’s log', async () => {
    let response: Awaited<ReturnType<typeof exportAs>> | undefined;
    const denied = await refusalsOf(police, CP1, 'oh-adviser-1', async () => {
      response = await exportAs(occupationalAdviser, CP1);
    });
    expectError(response!, 'FORBIDDEN');
    expect(denied).toEqual([expect.objectContaining({ outcome: 'DENIED', actor_organisation_id: occupationalHealth, details: { reason: 'NO_AGREEMENT' } })]);
    expect(response!.text).not.toContain('CP-HC-0001');
  });

  it('refuses ids that are not care plans: malformed or of another type (BAD_USER_INPUT), unknown (NOT_FOUND)', async () => {
    const malformed = await platform.graphql(leadMilo, EXPORT, { id: 'not-an-id' });
    expect(expectError(malformed, 'BAD_USER_INPUT').extensions.problems).toEqual([{ field: 'carePlanId', message: 'Expected a CarePlan ID' }]);
    expectError(await platform.graphql(leadMilo, EXPORT, { id: toGlobalId('CarePlanInput', input('carer')) }), 'BAD_USER_INPUT');
    const unknown = '00000000-0000-4000-8000-0000000000aa';
    let response: Awaited<ReturnType<typeof exportAs>> | undefined;
    const denied = await refusalsOf(police, unknown, 'hc-staff-2', async () => {
      response = await exportAs(leadMilo, unknown);
    });
    expectError(response!, 'NOT_FOUND');
    expect(denied).toEqual([expect.objectContaining({ outcome: 'DENIED', details: { reason: 'UNKNOWN_PLAN' } })]);
  });
});

describe('a partner whose agreement shares the subject’s identity, until it expires or is revoked', () => {
  let unit: TestUnit;
  let planId: string;
  let sharedInput: string;
  let internalInput: string;
  let agreement: { globalId: string; id: string; purpose: string };
  const reference = `CP-FHIR-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    unit = await createTestUnit(owner, 'fhir', 'NHS_TRUST');
    await asTenant(owner, police, async () => {
      const { rows } = await owner.query(
        `insert into care_plan (tenant_id, reference, status, lawful_basis, consent_status, consent_scope, consent_recorded_on, what_helps, what_to_avoid, review_due_on)
         values ($1, $2, 'DRAFT', 'Test basis', 'WITHDRAWN', 'Sharing with the test trust', '2026-02-01', 'Quiet room', 'Crowds', '2026-09-01') returning id`,
        [police, reference],
      );
      planId = rows[0].id;
      await owner.query(
        `insert into care_plan_subject (tenant_id, care_plan_id, display_name, date_of_birth, nhs_number) values ($1, $2, 'Robin Test', '1990-01-31', '9434765870')`,
        [police, planId],
      );
      await owner.query(
        `insert into care_team_member (tenant_id, care_plan_id, member_organisation_id, display_name, role) values ($1, $2, $3, 'Nurse Test', 'Community nurse')`,
        [police, planId, unit.id],
      );
      const inputs = await owner.query(
        `insert into care_plan_input (tenant_id, care_plan_id, author_organisation_id, author_name, kind, body, visibility)
         values ($1, $2, $1, 'MILO Test', 'MILO', 'Shared note <b>bold</b>', 'SHARED'), ($1, $2, $1, 'MILO Test', 'MILO', 'Internal note', 'INTERNAL') returning id, visibility`,
        [police, planId],
      );
      sharedInput = inputs.rows.find((row: { visibility: string }) => row.visibility === 'SHARED').id;
      internalInput = inputs.rows.find((row: { visibility: string }) => row.visibility === 'INTERNAL').id;
    });
    agreement = await createAgreement(
      platform,
      policeAdmin,
      unit.id,
      [
        { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps', 'subjectIdentity', 'consent', 'timestamps'] },
        { resource: 'CARE_PLAN_INPUT', actions: ['READ'] },
      ],
      'Testing the FHIR export of a subject’s identity',
    );
  });

  it('gets a Patient with name, birth date and NHS number, its sections, a withdrawn consent, shared inputs only', async () => {
    const bundle = await bundleAs(unit.adviser, planId);
    expect(validateR4(bundle)).toEqual([]);
    expect(carePlanOf(bundle).status).toBe('draft');
    const [patient] = resourcesOf<Patient>(bundle, 'Patient');
    expect(patient).toMatchObject({ name: [{ text: 'Robin Test' }], birthDate: '1990-01-31' });
    expect(patient.identifier).toContainEqual({ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765870' });
    expect(sectionsOf(bundle)).toEqual(['whatHelps']);
    expect(resourcesOf<Consent>(bundle, 'Consent')[0].status).toBe('inactive');
    expect(carePlanOf(bundle).activity).toBeUndefined();
    expect(inputIdsOf(bundle)).toEqual([sharedInput]);
    // `timestamps` in its scope: the dates, and a Provenance per input.
    expect(resourcesOf<Provenance>(bundle, 'Provenance').map((provenance) => provenance.id)).toEqual([sharedInput]);
    expect(carePlanOf(bundle).created).toBeDefined();
    expect(JSON.stringify(bundle)).not.toContain(internalInput);
    const event = await exportEventOf(police, planId, bundle);
    expect(event).toMatchObject({ actor_organisation_id: unit.id, purpose: agreement.purpose });
    expect(event.details).toMatchObject({ subjectIdentity: true, agreementId: agreement.id, inputIds: [sharedInput] });
  });

  it('not once the agreement has expired, and again when it is in force', async () => {
    await setAgreementEnd(owner, police, agreement.id, '2025-12-31');
    let response: Awaited<ReturnType<typeof exportAs>> | undefined;
    const denied = await refusalsOf(police, planId, unit.adviser.subject!, async () => {
      response = await exportAs(unit.adviser, planId);
    });
    // Its only agreement with police has ended: police's plan is not there for it, and its
    // attempt is in its own log, not police's.
    expectError(response!, 'NOT_FOUND');
    expect(denied).toEqual([]);
    expect(await eventsFor(unit.id, planId, 'CARE_PLAN_EXPORT_REFUSED')).toEqual([expect.objectContaining({ outcome: 'DENIED', details: { reason: 'UNKNOWN_PLAN' } })]);
    await setAgreementEnd(owner, police, agreement.id, null);
    expect(validateR4(await bundleAs(unit.adviser, planId))).toEqual([]);
  });

  it('not once the agreement is revoked: the next request is refused', async () => {
    await revokeAgreement(platform, policeAdmin, agreement.globalId);
    let response: Awaited<ReturnType<typeof exportAs>> | undefined;
    const denied = await refusalsOf(police, planId, unit.adviser.subject!, async () => {
      response = await exportAs(unit.adviser, planId);
    });
    expectError(response!, 'NOT_FOUND');
    expect(denied).toEqual([]);
    expect(await eventsFor(unit.id, planId, 'CARE_PLAN_EXPORT_REFUSED')).toEqual([
      expect.objectContaining({ outcome: 'DENIED', details: { reason: 'UNKNOWN_PLAN' } }),
      expect.objectContaining({ outcome: 'DENIED', actor_organisation_id: unit.id, details: { reason: 'UNKNOWN_PLAN' } }),
    ]);
  });
});

describe('cost', () => {
  it('an export costs the same statements for a plan with more inputs and team members', async () => {
    const first = await exportAs(southernClinician, CP1);
    const second = await exportAs(southernClinician, CP2);
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(first.statements).toBeDefined();
    expect(second.statements).toBe(first.statements);
  });
});
