import type { CarePlan as FhirCarePlan, CareTeam as FhirCareTeam, Coding, Consent as FhirConsent } from '@medplum/fhirtypes';
import type { OrganisationKind } from '../../organisations';
import type { CarePlanSection, CarePlanStatus, ConsentStatus } from '../care-plan.entity';

/*
 * Our codes as HL7 FHIR R4 codes. The target types come from @medplum/fhirtypes, whose
 * unions are the R4 required value sets: a code outside them does not compile.
 */

/** Code systems and identifier systems the export uses (all defined by HL7, LOINC or NHS England). */
export const FhirSystem = {
  CONSENT_SCOPE: 'http://terminology.hl7.org/CodeSystem/consentscope',
  LOINC: 'http://loinc.org',
  PROVENANCE_PARTICIPANT_TYPE: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  CONFIDENTIALITY: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  NHS_NUMBER: 'https://fhir.nhs.uk/Id/nhs-number',
  /** RFC 3986: the identifier's value is itself a URI (here `urn:uuid:…`), globally unique. */
  URI: 'urn:ietf:rfc:3986',
} as const;

/**
 * CarePlan.status (R4 request-status, required binding).
 *
 * UNDER_REVIEW maps to `active`, not `on-hold`: a plan under review stays in force (officers
 * keep following the agreed response until the review changes it), whereas R4 defines on-hold
 * as "the request (and any implicit authorization to act) has been temporarily withdrawn",
 * which would tell a receiving system to stop acting on it. The review itself is exported as
 * an activity whose status is `in-progress` (see REVIEW_ACTIVITY_STATUS), so nothing is lost.
 * CLOSED maps to `completed` (the plan ran its course), not `revoked` (withdrawn before it did).
 */
export const CARE_PLAN_STATUS: Record<CarePlanStatus, FhirCarePlan['status']> = {
  DRAFT: 'draft',
  ACTIVE: 'active',
  UNDER_REVIEW: 'active',
  CLOSED: 'completed',
};

type ActivityStatus = NonNullable<NonNullable<FhirCarePlan['activity']>[number]['detail']>['status'];

/** The plan's review as CarePlan.activity.detail.status (R4 care-plan-activity-status, required). */
export const REVIEW_ACTIVITY_STATUS: Record<CarePlanStatus, ActivityStatus> = {
  DRAFT: 'not-started',
  ACTIVE: 'scheduled',
  UNDER_REVIEW: 'in-progress',
  CLOSED: 'completed',
};

/** CareTeam.status (R4 care-team-status, required): the team works while the plan is in force. */
export const CARE_TEAM_STATUS: Record<CarePlanStatus, NonNullable<FhirCareTeam['status']>> = {
  DRAFT: 'proposed',
  ACTIVE: 'active',
  UNDER_REVIEW: 'active',
  CLOSED: 'inactive',
};

/** Consent.status (R4 consent-state-codes, required); NOT_RECORDED exports no Consent at all. */
export const CONSENT_STATUS: Record<Exclude<ConsentStatus, 'NOT_RECORDED'>, FhirConsent['status']> = {
  GIVEN: 'active',
  REFUSED: 'rejected',
  WITHDRAWN: 'inactive',
};

/** Consent.scope: our consent is to sharing the plan's information, i.e. a privacy consent. */
export const CONSENT_SCOPE_PRIVACY: Coding = { system: FhirSystem.CONSENT_SCOPE, code: 'patient-privacy', display: 'Privacy Consent' };

/** Consent.category (R4 consent-category, extensible): LOINC 59284-0. */
export const CONSENT_CATEGORY_PATIENT_CONSENT: Coding = { system: FhirSystem.LOINC, code: '59284-0', display: 'Patient Consent' };

export const PROVENANCE_AUTHOR: Coding = { system: FhirSystem.PROVENANCE_PARTICIPANT_TYPE, code: 'author', display: 'Author' };
export const PROVENANCE_INFORMANT: Coding = { system: FhirSystem.PROVENANCE_PARTICIPANT_TYPE, code: 'informant', display: 'Informant' };

/** Bundle.meta.security when owner-only material is included. */
export const CONFIDENTIALITY_RESTRICTED: Coding = { system: FhirSystem.CONFIDENTIALITY, code: 'R', display: 'restricted' };

/** The plan sections' labels, as a reader of the exported notes sees them. */
export function sectionLabel(section: CarePlanSection, ownerKind: OrganisationKind): string {
  switch (section) {
    case 'presentationAndTriggers':
      return 'Presentation and triggers';
    case 'whatHelps':
      return 'What helps';
    case 'whatToAvoid':
      return 'What to avoid';
    case 'agreedResponse':
      return ownerKind === 'POLICE' ? 'Agreed police response' : ownerKind === 'FIRE_RESCUE' ? 'Agreed fire and rescue response' : 'Agreed response';
    case 'contacts':
      return 'Contacts';
  }
}

/** Organization.type as text: R4's organization-type codes (prov, govt, …) say too little here. */
export const ORGANISATION_KIND_LABEL: Record<OrganisationKind, string> = {
  POLICE: 'Police force',
  FIRE_RESCUE: 'Fire and rescue service',
  NHS_TRUST: 'NHS trust',
  OCCUPATIONAL_HEALTH: 'Occupational health service',
  CHARITY: 'Charity',
  LOCAL_AUTHORITY: 'Local authority',
  PLATFORM: 'Platform operator',
};
