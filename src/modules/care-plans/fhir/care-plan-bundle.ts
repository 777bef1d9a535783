import { createHash } from 'node:crypto';
import type {
  Annotation,
  Bundle,
  BundleEntry,
  CarePlan as FhirCarePlan,
  CarePlanActivity,
  CareTeam,
  Consent,
  Identifier,
  Organization,
  Patient,
  Practitioner,
  Provenance,
  ProvenanceAgent,
  Reference,
  RelatedPerson,
  Resource,
} from '@medplum/fhirtypes';
import type { OrganisationKind } from '../../organisations';
import type { CarePlanInput } from '../care-plan-input.entity';
import type { CarePlanInternalNote } from '../care-plan-internal-note.entity';
import type { CarePlanSubject } from '../care-plan-subject.entity';
import { CARE_PLAN_SECTIONS, type CarePlan, type CarePlanSection } from '../care-plan.entity';
import type { CareTeamMember } from '../care-team-member.entity';
import {
  CARE_PLAN_STATUS,
  CARE_TEAM_STATUS,
  CONFIDENTIALITY_RESTRICTED,
  CONSENT_CATEGORY_PATIENT_CONSENT,
  CONSENT_SCOPE_PRIVACY,
  CONSENT_STATUS,
  FhirSystem,
  ORGANISATION_KIND_LABEL,
  PROVENANCE_AUTHOR,
  PROVENANCE_INFORMANT,
  REVIEW_ACTIVITY_STATUS,
  sectionLabel,
} from './fhir-codes';

/*
 * A care plan as an HL7 FHIR R4 `collection` Bundle. Pure: the service
 * decides what the caller may have (its field scope, SHARED inputs only for partners) and
 * hands over only that; this file decides how it looks in FHIR.
 *
 * The mapping (standard R4 elements only; no extensions):
 *
 *   care_plan.id, reference       CarePlan.id; identifier[0] urn:ietf:rfc:3986 = urn:uuid:<id>,
 *                                 identifier[1] = the reference, assigner = owner Organization
 *   status                        CarePlan.status (fhir-codes.ts: UNDER_REVIEW → active)
 *   (always)                      CarePlan.intent = plan; title "Care plan <reference>"
 *   version, updated_at           CarePlan.meta.versionId, meta.lastUpdated (timestamps)
 *   created_at, closed_at         CarePlan.created, period.start, period.end (timestamps)
 *   owner organisation            CarePlan.author, Organization
 *   sections (in scope)           CarePlan.note[], one Annotation each, id "section-<field>",
 *                                 text "<Label>: <text>", author = owner
 *   review_due_on (in scope)      CarePlan.activity[].detail: code.text "Care plan review",
 *                                 status by plan status, scheduledTiming.event = the day
 *   subject, no subjectIdentity   CarePlan.subject = { type Patient, identifier = the
 *                                 reference (pseudonymous), display "Subject of care plan …" }
 *   subject, subjectIdentity      Patient: name.text, birthDate, identifier NHS number
 *                                 (https://fhir.nhs.uk/Id/nhs-number), local identifiers
 *   care team (current)           CareTeam.participant: role.text, member (Practitioner,
 *                                 display), onBehalfOf Organization, period.start = added_at
 *                                 (timestamps)
 *   consent (in scope, recorded)  Consent: status (GIVEN active, REFUSED rejected, WITHDRAWN
 *                                 inactive), scope consentscope#patient-privacy, category
 *                                 LOINC 59284-0, dateTime = recorded on, policyRule.text =
 *                                 lawful basis (ppc-1), narrative = what was consented to
 *   input (SHARED; INTERNAL on    CarePlan.note[] id "input-<input id>" (author, text; time
 *     the owner's request)        under timestamps) + with timestamps, Provenance id <input
 *                                 id>: target the CarePlan, recorded = created_at, agent
 *                                 author (who = name, onBehalfOf = author organisation); a
 *                                 carer's input adds the carer as informant. R4 requires
 *                                 Provenance.recorded, so without timestamps there is none.
 *   police-only notes (owner,     CarePlan.note[] id "internal-note-<id>"; the Bundle and the
 *     on request)                 CarePlan get meta.security v3-Confidentiality R
 *
 * Every entry has a fullUrl `urn:uuid:<id>` and the resource the same id, so references
 * inside the Bundle resolve without a FHIR server. Ids are the platform's own where a row
 * exists (plan, input, subject, organisation), and name-based UUIDs of the plan where none
 * does (its CareTeam and Consent), so exporting the same plan twice gives the same ids.
 */

export interface ExportOrganisation {
  id: string;
  name: string;
  kind: OrganisationKind;
  status: string;
}

/** What the caller may have of the plan, decided by the service from its access. */
export interface ExportScope {
  sections: readonly CarePlanSection[];
  subjectIdentity: boolean;
  consent: boolean;
  reviewDueOn: boolean;
  /**
   * When the plan was created, last changed and closed, when each team member joined and each
   * input was written (field scope `timestamps`): a timeline of someone's contact with the
   * police is itself information about them, so a partner gets it only where the owner's rule
   * names it, like any other field.
   */
  timestamps: boolean;
  /** Owner only, on request: INTERNAL inputs and police-only notes, labelled restricted. */
  internal: boolean;
}

export interface CarePlanExportSource {
  bundleId: string;
  timestamp: Date;
  plan: CarePlan;
  /** Every organisation referenced: the owner, the care team's and the inputs' authors'. */
  organisations: ReadonlyMap<string, ExportOrganisation>;
  /** Only when scope.subjectIdentity; null also once the plan is anonymised. */
  subject: CarePlanSubject | null;
  /** The current care team. */
  team: readonly CareTeamMember[];
  /** Inputs the caller may have, oldest first; removed ones (no text) are skipped. */
  inputs: readonly CarePlanInput[];
  /** Owner-only notes; only with scope.internal. */
  internalNotes: readonly CarePlanInternalNote[];
  scope: ExportScope;
}

const urn = (id: string) => `urn:uuid:${id}`;

/**
 * A name-based (version 5, SHA-1) UUID of `name` within `namespace` (RFC 4122 §4.3): the
 * same plan always gives its CareTeam and Consent the same ids.
 */
export function nameBasedUuid(namespace: string, name: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Free text as FHIR `markdown` that renders as the text it is: HTML and link syntax are
 * backslash-escaped (CommonMark), so text stored as given ("<script>", "[x](javascript:…)")
 * cannot become markup in a receiving system, and stays readable without a renderer.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\<>&[\]]/g, (character) => `\\${character}`);
}

/** A date column as `YYYY-MM-DD` (TypeORM hands dates over as strings; a Date is accepted too). */
function isoDate(value: string | Date): string {
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}

const instant = (value: Date) => value.toISOString();

/** The element id of an exported note: its Provenance has the input's id (see README). */
export const sectionNoteId = (section: CarePlanSection) => `section-${section}`;
export const inputNoteId = (inputId: string) => `input-${inputId}`;
export const internalNoteId = (noteId: string) => `internal-note-${noteId}`;

export function carePlanBundle(source: CarePlanExportSource): Bundle {
  const { plan, scope } = source;
  const owner = organisation(source, plan.tenantId);
  const ownerReference: Reference<Organization> = { reference: urn(owner.id), type: 'Organization', display: owner.name };
  const careTeamId = nameBasedUuid(plan.id, 'CareTeam');
  const consentId = nameBasedUuid(plan.id, 'Consent');

  // The plan's own identifiers: globally unique, and the owner's pseudonymous reference.
  const localReference: Identifier = {
    type: { text: 'Care plan reference' },
    value: plan.reference,
    assigner: ownerReference,
  };

  // The subject: a Patient only when the caller may know who it is; otherwise a reference
  // that carries the owner's pseudonymous reference and nothing else.
  const subject = scope.subjectIdentity ? source.subject : null;
  const subjectReference: Reference<Patient> = subject
    ? { reference: urn(subject.id), type: 'Patient', display: subject.displayName }
    : {
        type: 'Patient',
        identifier: { type: { text: 'Care plan subject (pseudonymous)' }, value: plan.reference, assigner: ownerReference },
        display: `Subject of care plan ${plan.reference}`,
      };

  const inputs = source.inputs.filter((input) => input.body !== null && input.removedAt === null);
  const notes: Annotation[] = [
    ...CARE_PLAN_SECTIONS.filter((section) => scope.sections.includes(section) && plan[section]).map(
      (section): Annotation => ({
        id: sectionNoteId(section),
        authorReference: ownerReference,
        text: `${sectionLabel(section, owner.kind)}: ${markdownText(plan[section] as string)}`,
      }),
    ),
    ...inputs.map(
      (input): Annotation => ({
        id: inputNoteId(input.id),
        authorReference: inputAuthor(source, input),
        ...(scope.timestamps ? { time: instant(input.createdAt) } : {}),
        text: `${input.visibility === 'INTERNAL' ? 'Internal input (owner only): ' : ''}${markdownText(input.body as string)}`,
      }),
    ),
    ...(scope.internal ? source.internalNotes : [])
      .filter((note) => note.body !== null && note.removedAt === null)
      .map(
        (note): Annotation => ({
          id: internalNoteId(note.id),
          authorReference: ownerReference,
          time: instant(note.createdAt),
          text: `Internal note (owner only): ${markdownText(note.body as string)}`,
        }),
      ),
  ];

  const activity: CarePlanActivity[] = [];
  const reviewDueOn = scope.reviewDueOn ? plan.reviewDueOn : null;
  if (plan.status !== 'CLOSED' && (reviewDueOn || plan.status === 'UNDER_REVIEW')) {
    activity.push({
      detail: {
        code: { text: 'Care plan review' },
        status: REVIEW_ACTIVITY_STATUS[plan.status],
        ...(reviewDueOn ? { scheduledTiming: { event: [isoDate(reviewDueOn)] } } : {}),
        performer: [ownerReference],
      },
    });
  }

  const carePlan: FhirCarePlan = {
    resourceType: 'CarePlan',
    id: plan.id,
    meta: {
      versionId: String(plan.version),
      ...(scope.timestamps ? { lastUpdated: instant(plan.updatedAt) } : {}),
      ...(scope.internal ? { security: [CONFIDENTIALITY_RESTRICTED] } : {}),
    },
    identifier: [{ system: FhirSystem.URI, value: urn(plan.id) }, localReference],
    status: CARE_PLAN_STATUS[plan.status],
    intent: 'plan',
    title: `Care plan ${plan.reference}`,
    subject: subjectReference,
    ...(scope.timestamps
      ? { period: { start: instant(plan.createdAt), ...(plan.closedAt ? { end: instant(plan.closedAt) } : {}) }, created: instant(plan.createdAt) }
      : {}),
    author: ownerReference,
    careTeam: [{ reference: urn(careTeamId), type: 'CareTeam' }],
    ...(activity.length ? { activity } : {}),
    ...(notes.length ? { note: notes } : {}),
  };

  const careTeam: CareTeam = {
    resourceType: 'CareTeam',
    id: careTeamId,
    status: CARE_TEAM_STATUS[plan.status],
    name: `Care team for care plan ${plan.reference}`,
    subject: subjectReference,
    managingOrganization: [ownerReference],
    ...(source.team.length
      ? {
          participant: source.team.map((member) => {
            const memberOrganisation = organisation(source, member.memberOrganisationId);
            return {
              role: [{ text: member.role }],
              member: { type: 'Practitioner', display: member.displayName },
              onBehalfOf: { reference: urn(memberOrganisation.id), type: 'Organization', display: memberOrganisation.name },
              ...(scope.timestamps ? { period: { start: instant(member.addedAt) } } : {}),
            };
          }),
        }
      : {}),
  };

  const resources: Resource[] = [carePlan];
  if (subject) resources.push(patient(subject, plan, ownerReference, localReference));
  resources.push(careTeam);

  if (scope.consent && plan.consentStatus !== 'NOT_RECORDED' && plan.consentRecordedOn) {
    const consent: Consent = {
      resourceType: 'Consent',
      id: consentId,
      status: CONSENT_STATUS[plan.consentStatus],
      scope: { coding: [CONSENT_SCOPE_PRIVACY] },
      category: [{ coding: [CONSENT_CATEGORY_PATIENT_CONSENT] }],
      patient: subjectReference,
      dateTime: isoDate(plan.consentRecordedOn),
      organization: [ownerReference],
      // R4 ppc-1 needs policy or policyRule: the statute the owner processes the data under.
      policyRule: { text: plan.lawfulBasis },
      // What the subject agreed to, in the owner's words: R4 Consent has no text element for
      // it, so it is the resource's narrative, marked as adding to the structured data.
      ...(plan.consentScope ? { text: { status: 'additional', div: xhtmlParagraph(plan.consentScope) } } : {}),
    };
    resources.push(consent);
  }

  const provenances = scope.timestamps ? inputs : [];
  for (const input of provenances) resources.push(provenance(source, input, plan.id));

  // Every organisation referenced, owner first, in a stable order.
  const referenced = new Set<string>([owner.id]);
  for (const member of source.team) referenced.add(member.memberOrganisationId);
  for (const input of provenances) referenced.add(input.authorOrganisationId);
  for (const id of referenced) resources.push(organizationResource(organisation(source, id)));

  return {
    resourceType: 'Bundle',
    id: source.bundleId,
    ...(scope.internal ? { meta: { security: [CONFIDENTIALITY_RESTRICTED] } } : {}),
    type: 'collection',
    timestamp: instant(source.timestamp),
    entry: resources.map((resource): BundleEntry => ({ fullUrl: urn(resource.id as string), resource })),
  };
}

function organisation(source: CarePlanExportSource, id: string): ExportOrganisation {
  const found = source.organisations.get(id);
  if (!found) throw new Error(`Organisation ${id} is referenced by the export but was not loaded`);
  return found;
}

function organizationResource(organisation: ExportOrganisation): Organization {
  return {
    resourceType: 'Organization',
    id: organisation.id,
    identifier: [{ system: FhirSystem.URI, value: urn(organisation.id) }],
    active: organisation.status === 'ACTIVE',
    type: [{ text: ORGANISATION_KIND_LABEL[organisation.kind] }],
    name: organisation.name,
  };
}

function patient(subject: CarePlanSubject, plan: CarePlan, owner: Reference<Organization>, localReference: Identifier): Patient {
  const identifier: Identifier[] = [];
  if (subject.nhsNumber) identifier.push({ system: FhirSystem.NHS_NUMBER, value: subject.nhsNumber });
  identifier.push({ ...localReference, type: { text: 'Care plan subject (pseudonymous)' } });
  if (subject.localIdentifiers) identifier.push({ type: { text: 'Local identifiers' }, value: subject.localIdentifiers, assigner: owner });
  return {
    resourceType: 'Patient',
    id: subject.id,
    identifier,
    // The platform keeps a display name, not given and family names.
    name: [{ text: subject.displayName }],
    ...(subject.dateOfBirth ? { birthDate: isoDate(subject.dateOfBirth) } : {}),
    managingOrganization: owner,
  };
}

/** Who wrote an input, as its note's author: the person, or the carer it came from. */
function inputAuthor(source: CarePlanExportSource, input: CarePlanInput): Reference<Practitioner | RelatedPerson> {
  const authorOrganisation = organisation(source, input.authorOrganisationId);
  // The note is the carer's words; its Provenance names the MILO who recorded them.
  if (input.kind === 'CARER') return { type: 'RelatedPerson', display: carerName(input) };
  return { type: 'Practitioner', display: `${input.authorName}, ${authorOrganisation.name}` };
}

const carerName = (input: CarePlanInput) => (input.carerRelationship ? `Carer (${input.carerRelationship})` : 'Carer');

/**
 * One Provenance per input: it targets the plan (the input is the plan's note
 * `input-<input id>`, and the Provenance has the input's id), recorded when the input was,
 * its author acting on behalf of the author's organisation; a carer's input adds the carer
 * as informant (the MILO who recorded it is the author).
 */
function provenance(source: CarePlanExportSource, input: CarePlanInput, planId: string): Provenance {
  const authorOrganisation = organisation(source, input.authorOrganisationId);
  const agent: ProvenanceAgent[] = [
    {
      type: { coding: [PROVENANCE_AUTHOR] },
      who: { type: 'Practitioner', display: input.authorName },
      onBehalfOf: { reference: urn(authorOrganisation.id), type: 'Organization', display: authorOrganisation.name },
    },
  ];
  if (input.kind === 'CARER') {
    agent.push({ type: { coding: [PROVENANCE_INFORMANT] }, who: { type: 'RelatedPerson', display: carerName(input) } });
  }
  return {
    resourceType: 'Provenance',
    id: input.id,
    ...(input.visibility === 'INTERNAL' ? { meta: { security: [CONFIDENTIALITY_RESTRICTED] } } : {}),
    target: [{ reference: urn(planId), type: 'CarePlan' }],
    recorded: instant(input.createdAt),
    agent,
  };
}

/** Text as the XHTML narrative FHIR requires: one escaped paragraph in an XHTML div. */
export function xhtmlParagraph(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] as string);
  return `<div xmlns="http://www.w3.org/1999/xhtml"><p>${escaped}</p></div>`;
}
