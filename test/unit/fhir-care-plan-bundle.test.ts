import type { CarePlan as FhirCarePlan, Bundle, CareTeam, Consent, Patient, Provenance, Resource } from '@medplum/fhirtypes';
import { CARE_PLAN_SECTIONS, type CarePlan, type CarePlanStatus, type ConsentStatus } from '../../src/modules/care-plans/care-plan.entity';
import type { CarePlanInput } from '../../src/modules/care-plans/care-plan-input.entity';
import type { CarePlanInternalNote } from '../../src/modules/care-plans/care-plan-internal-note.entity';
import type { CarePlanSubject } from '../../src/modules/care-plans/care-plan-subject.entity';
import type { CareTeamMember } from '../../src/modules/care-plans/care-team-member.entity';
import {
  carePlanBundle,
  markdownText,
  nameBasedUuid,
  xhtmlParagraph,
  type CarePlanExportSource,
  type ExportOrganisation,
  type ExportScope,
} from '../../src/modules/care-plans/fhir/care-plan-bundle';
import { CARE_PLAN_STATUS, CONSENT_STATUS } from '../../src/modules/care-plans/fhir/fhir-codes';
import { validateR4 } from '../support/fhir-r4-validator';

/*
 * The mapping from a plan to an R4 Bundle, without a database: every status and consent
 * state, the caller's scope (sections, subject, consent, review date, internal material) and
 * text that must not become markup. Each bundle also goes through the R4 check.
 */

const POLICE: ExportOrganisation = { id: '11111111-1111-4111-8111-111111111111', name: 'Hampshire Constabulary', kind: 'POLICE', status: 'ACTIVE' };
const TRUST: ExportOrganisation = { id: '22222222-2222-4222-8222-222222222222', name: 'Southern Health', kind: 'NHS_TRUST', status: 'ACTIVE' };
const PLAN_ID = '33333333-3333-4333-8333-333333333333';

const ALL: ExportScope = { sections: CARE_PLAN_SECTIONS, subjectIdentity: true, consent: true, reviewDueOn: true, timestamps: true, internal: false };
const created = new Date('2026-03-01T09:00:00Z');

function plan(overrides: Partial<CarePlan> = {}): CarePlan {
  return {
    tenantId: POLICE.id,
    id: PLAN_ID,
    reference: 'CP-T-0001',
    status: 'ACTIVE',
    leadMiloId: null,
    reviewDueOn: '2026-07-01',
    lawfulBasis: 'DPA 2018 Part 3, s.35',
    consentStatus: 'GIVEN',
    consentScope: 'Sharing with the named clinicians',
    consentRecordedOn: '2026-03-02',
    presentationAndTriggers: 'Distressed near the bridge',
    whatHelps: 'A calm voice',
    whatToAvoid: 'Several officers at once',
    agreedResponse: 'Call street triage first',
    contacts: 'CMHN duty line',
    careTeamOrganisationIds: [POLICE.id, TRUST.id],
    version: 3,
    closedAt: null,
    closureReason: null,
    retainUntil: null,
    anonymisedAt: null,
    createdBy: null,
    createdAt: created,
    updatedAt: new Date('2026-03-05T10:00:00Z'),
    ...overrides,
  } as CarePlan;
}

const subject = { tenantId: POLICE.id, id: '44444444-4444-4444-8444-444444444444', carePlanId: PLAN_ID, displayName: 'Alex Morgan', dateOfBirth: '1984-05-12', nhsNumber: '9434765919', localIdentifiers: null } as CarePlanSubject;

const team = [
  { id: 'a1', carePlanId: PLAN_ID, memberOrganisationId: POLICE.id, memberPersonId: null, displayName: 'Lead MILO', role: 'Lead MILO', addedAt: created, removedAt: null },
  { id: 'a2', carePlanId: PLAN_ID, memberOrganisationId: TRUST.id, memberPersonId: null, displayName: 'Dr Haddad', role: 'Consultant psychiatrist', addedAt: created, removedAt: null },
] as CareTeamMember[];

function input(id: string, overrides: Partial<CarePlanInput> = {}): CarePlanInput {
  return {
    tenantId: POLICE.id,
    id,
    carePlanId: PLAN_ID,
    authorOrganisationId: POLICE.id,
    authorPersonId: null,
    authorName: 'Lead MILO',
    kind: 'MILO',
    carerRelationship: null,
    body: 'Three contacts this month',
    visibility: 'SHARED',
    removedAt: null,
    createdAt: new Date('2026-03-03T12:00:00Z'),
    ...overrides,
  } as CarePlanInput;
}

const INPUTS = [
  input('55555555-5555-4555-8555-555555555551'),
  input('55555555-5555-4555-8555-555555555552', { kind: 'CARER', carerRelationship: 'Mother', authorName: 'Recorded by Lead MILO', body: 'Calls her first' }),
  input('55555555-5555-4555-8555-555555555553', { kind: 'PARTNER', authorOrganisationId: TRUST.id, authorName: 'Dr Haddad', body: 'Medication reviewed' }),
];

function source(overrides: Partial<CarePlanExportSource> = {}): CarePlanExportSource {
  return {
    bundleId: '66666666-6666-4666-8666-666666666666',
    timestamp: new Date('2026-04-01T08:00:00Z'),
    plan: plan(),
    organisations: new Map([POLICE, TRUST].map((organisation) => [organisation.id, organisation])),
    subject,
    team,
    inputs: INPUTS,
    internalNotes: [],
    scope: ALL,
    ...overrides,
  };
}

const resourcesOf = <T extends Resource>(bundle: Bundle, type: T['resourceType']) =>
  (bundle.entry ?? []).map((entry) => entry.resource as Resource).filter((resource): resource is T => resource.resourceType === type);
const carePlanOf = (bundle: Bundle) => resourcesOf<FhirCarePlan>(bundle, 'CarePlan')[0];

describe('the FHIR R4 Bundle of a care plan', () => {
  it('is a valid R4 collection of CarePlan, Patient, CareTeam, Consent, a Provenance per input and the organisations', () => {
    const bundle = carePlanBundle(source());
    expect(validateR4(bundle)).toEqual([]);
    expect(bundle.type).toBe('collection');
    expect(bundle.timestamp).toBe('2026-04-01T08:00:00.000Z');
    expect(bundle.entry!.map((entry) => entry.resource!.resourceType)).toEqual([
      'CarePlan', 'Patient', 'CareTeam', 'Consent', 'Provenance', 'Provenance', 'Provenance', 'Organization', 'Organization',
    ]);
    for (const entry of bundle.entry!) expect(entry.fullUrl).toBe(`urn:uuid:${entry.resource!.id}`);
  });

  it.each(Object.entries(CARE_PLAN_STATUS))('maps the plan status %s to the R4 request-status %s, with a valid bundle', (status, fhirStatus) => {
    const closed = status === 'CLOSED' ? { closedAt: new Date('2026-03-20T00:00:00Z') } : {};
    const bundle = carePlanBundle(source({ plan: plan({ status: status as CarePlanStatus, ...closed }) }));
    expect(carePlanOf(bundle).status).toBe(fhirStatus);
    expect(validateR4(bundle)).toEqual([]);
  });

  it('keeps a plan under review in force and shows the review as an activity in progress', () => {
    const carePlan = carePlanOf(carePlanBundle(source({ plan: plan({ status: 'UNDER_REVIEW' }) })));
    expect(carePlan.status).toBe('active');
    expect(carePlan.activity).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ code: { text: 'Care plan review' }, status: 'in-progress', scheduledTiming: { event: ['2026-07-01'] } }) }),
    ]);
  });

  it.each(Object.entries(CONSENT_STATUS))('maps consent %s to Consent.status %s with scope, category, policy rule and date', (status, fhirStatus) => {
    const bundle = carePlanBundle(source({ plan: plan({ consentStatus: status as ConsentStatus }) }));
    const [consent] = resourcesOf<Consent>(bundle, 'Consent');
    expect(consent).toMatchObject({
      status: fhirStatus,
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      policyRule: { text: 'DPA 2018 Part 3, s.35' },
      dateTime: '2026-03-02',
      patient: { reference: `urn:uuid:${subject.id}` },
    });
    expect(validateR4(bundle)).toEqual([]);
  });

  it('exports no Consent when none is recorded, or when the consent is outside the scope', () => {
    const none = carePlanBundle(source({ plan: plan({ consentStatus: 'NOT_RECORDED', consentRecordedOn: null, consentScope: null }) }));
    expect(resourcesOf(none, 'Consent')).toEqual([]);
    expect(validateR4(none)).toEqual([]);
    expect(resourcesOf(carePlanBundle(source({ scope: { ...ALL, consent: false } })), 'Consent')).toEqual([]);
  });

  it('names the subject only with subjectIdentity in scope: a Patient with name, birth date and NHS number', () => {
    const bundle = carePlanBundle(source());
    const [patient] = resourcesOf<Patient>(bundle, 'Patient');
    expect(patient.name).toEqual([{ text: 'Alex Morgan' }]);
    expect(patient.birthDate).toBe('1984-05-12');
    expect(patient.identifier).toContainEqual({ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' });
    expect(carePlanOf(bundle).subject).toEqual({ reference: `urn:uuid:${subject.id}`, type: 'Patient', display: 'Alex Morgan' });
  });

  it('without subjectIdentity, refers to the subject by the pseudonymous reference alone, even if a subject row is handed over', () => {
    const bundle = carePlanBundle(source({ scope: { ...ALL, subjectIdentity: false } }));
    expect(resourcesOf(bundle, 'Patient')).toEqual([]);
    expect(carePlanOf(bundle).subject).toEqual({
      type: 'Patient',
      identifier: { type: { text: 'Care plan subject (pseudonymous)' }, value: 'CP-T-0001', assigner: expect.objectContaining({ reference: `urn:uuid:${POLICE.id}` }) },
      display: 'Subject of care plan CP-T-0001',
    });
    const text = JSON.stringify(bundle);
    for (const identifying of ['Alex Morgan', '1984-05-12', '9434765919', subject.id]) expect(text).not.toContain(identifying);
    expect(validateR4(bundle)).toEqual([]);
  });

  it('carries only the sections in scope, each a labelled note, and no review date outside the scope', () => {
    const bundle = carePlanBundle(source({ scope: { ...ALL, sections: ['whatHelps', 'agreedResponse'], reviewDueOn: false } }));
    const carePlan = carePlanOf(bundle);
    const sectionNotes = carePlan.note!.filter((note) => note.id!.startsWith('section-'));
    expect(sectionNotes.map((note) => note.text)).toEqual(['What helps: A calm voice', 'Agreed police response: Call street triage first']);
    expect(carePlan.activity).toBeUndefined();
    const text = JSON.stringify(bundle);
    for (const outside of ['Distressed near the bridge', 'Several officers at once', 'CMHN duty line', '2026-07-01']) expect(text).not.toContain(outside);
  });

  it('gives each input a note and a Provenance: author on behalf of the organisation, the carer as informant', () => {
    const bundle = carePlanBundle(source());
    const provenances = resourcesOf<Provenance>(bundle, 'Provenance');
    expect(provenances.map((provenance) => provenance.id)).toEqual(INPUTS.map((item) => item.id));
    const partner = provenances[2];
    expect(partner).toMatchObject({
      target: [{ reference: `urn:uuid:${PLAN_ID}` }],
      recorded: '2026-03-03T12:00:00.000Z',
      agent: [
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] },
          who: { display: 'Dr Haddad' },
          onBehalfOf: { reference: `urn:uuid:${TRUST.id}` },
        },
      ],
    });
    expect(provenances[1].agent.map((agent) => agent.type?.coding?.[0].code)).toEqual(['author', 'informant']);
    expect(provenances[1].agent[1].who).toEqual({ type: 'RelatedPerson', display: 'Carer (Mother)' });
    const carerNote = carePlanOf(bundle).note!.find((note) => note.id === `input-${INPUTS[1].id}`)!;
    expect(carerNote).toEqual({ id: `input-${INPUTS[1].id}`, authorReference: { type: 'RelatedPerson', display: 'Carer (Mother)' }, time: '2026-03-03T12:00:00.000Z', text: 'Calls her first' });
    const notes = carePlanOf(bundle).note!.filter((note) => note.id!.startsWith('input-'));
    expect(notes.map((note) => note.id)).toEqual(INPUTS.map((item) => `input-${item.id}`));
  });

  it('a partner without `timestamps` in scope learns no dates of the plan, its team or its inputs: no created, lastUpdated, period, note times or Provenance', () => {
    const bundle = carePlanBundle(source({ plan: plan({ status: 'CLOSED', closedAt: new Date('2026-03-20T16:00:00Z') }), scope: { ...ALL, timestamps: false } }));
    expect(validateR4(bundle)).toEqual([]);
    const carePlan = carePlanOf(bundle);
    expect(carePlan.created).toBeUndefined();
    expect(carePlan.period).toBeUndefined();
    expect(carePlan.meta).toEqual({ versionId: '3' });
    expect(carePlan.note!.filter((note) => note.id!.startsWith('input-')).map((note) => note.time)).toEqual([undefined, undefined, undefined]);
    expect(resourcesOf<CareTeam>(bundle, 'CareTeam')[0].participant!.map((participant) => participant.period)).toEqual([undefined, undefined]);
    expect(resourcesOf(bundle, 'Provenance')).toEqual([]);
    const text = JSON.stringify(bundle);
    // The Bundle's own timestamp (when it was exported) is the only instant left in it.
    for (const instant of ['2026-03-01T09:00', '2026-03-05T10:00', '2026-03-03T12:00', '2026-03-20T16:00']) expect(text).not.toContain(instant);
    expect(bundle.timestamp).toBe('2026-04-01T08:00:00.000Z');
  });

  it('skips inputs whose text was removed', () => {
    const removed = input('55555555-5555-4555-8555-555555555559', { body: null, removedAt: new Date() });
    const bundle = carePlanBundle(source({ inputs: [removed] }));
    expect(resourcesOf(bundle, 'Provenance')).toEqual([]);
    expect(carePlanOf(bundle).note!.some((note) => note.id === `input-${removed.id}`)).toBe(false);
  });

  it('lists the care team with roles on behalf of their organisations, and references every organisation once', () => {
    const bundle = carePlanBundle(source());
    const [careTeam] = resourcesOf<CareTeam>(bundle, 'CareTeam');
    expect(careTeam.participant).toEqual([
      expect.objectContaining({ role: [{ text: 'Lead MILO' }], member: { type: 'Practitioner', display: 'Lead MILO' }, onBehalfOf: expect.objectContaining({ reference: `urn:uuid:${POLICE.id}` }) }),
      expect.objectContaining({ role: [{ text: 'Consultant psychiatrist' }], onBehalfOf: expect.objectContaining({ reference: `urn:uuid:${TRUST.id}` }) }),
    ]);
    expect(carePlanOf(bundle).careTeam).toEqual([{ reference: `urn:uuid:${careTeam.id}`, type: 'CareTeam' }]);
    expect(resourcesOf(bundle, 'Organization').map((organisation) => organisation.id)).toEqual([POLICE.id, TRUST.id]);
  });

  it('labels owner-only material restricted and says so in the notes', () => {
    const internalInput = input('55555555-5555-4555-8555-555555555554', { visibility: 'INTERNAL', body: 'Intelligence cross-reference' });
    const note = { id: '77777777-7777-4777-8777-777777777777', carePlanId: PLAN_ID, body: 'Firearms check done', authorPersonId: 'x', removedAt: null, createdAt: created } as CarePlanInternalNote;
    const bundle = carePlanBundle(source({ inputs: [internalInput], internalNotes: [note], scope: { ...ALL, internal: true } }));
    expect(bundle.meta?.security).toEqual([expect.objectContaining({ code: 'R' })]);
    const texts = carePlanOf(bundle).note!.map((item) => item.text);
    expect(texts).toContain('Internal input (owner only): Intelligence cross-reference');
    expect(texts).toContain('Internal note (owner only): Firearms check done');
    expect(validateR4(bundle)).toEqual([]);
    // Without the internal scope, notes handed over by mistake stay out.
    expect(JSON.stringify(carePlanBundle(source({ internalNotes: [note] })))).not.toContain('Firearms');
  });

  it('turns text stored as given into text, never markup', () => {
    const hostile = '<script>alert(1)</script> & [click](javascript:alert(1)) \\';
    expect(markdownText(hostile)).toBe('\\<script\\>alert(1)\\</script\\> \\& \\[click\\](javascript:alert(1)) \\\\');
    expect(xhtmlParagraph(`<b>"x" & 'y'</b>`)).toBe('<div xmlns="http://www.w3.org/1999/xhtml"><p>&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;</p></div>');
    const bundle = carePlanBundle(source({ plan: plan({ whatHelps: hostile, consentScope: hostile }) }));
    expect(JSON.stringify(bundle)).not.toMatch(/<script>/);
    expect(validateR4(bundle)).toEqual([]);
  });

  it('gives the CareTeam and Consent the same ids on every export of the plan, different for another plan', () => {
    const first = carePlanBundle(source());
    const again = carePlanBundle(source({ bundleId: '88888888-8888-4888-8888-888888888888' }));
    const idsOf = (bundle: Bundle) => bundle.entry!.map((entry) => entry.resource!.id);
    expect(idsOf(again)).toEqual(idsOf(first));
    expect(nameBasedUuid(PLAN_ID, 'CareTeam')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(nameBasedUuid(PLAN_ID, 'CareTeam')).not.toBe(nameBasedUuid('99999999-9999-4999-8999-999999999999', 'CareTeam'));
    // RFC 4122 appendix B's example: "www.example.com" in the DNS namespace.
    expect(nameBasedUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});
