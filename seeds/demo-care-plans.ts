import type { DemoAgreement } from './demo-support';

/*
 * Care plans of the demo: the police share plans with Southern Health and Solent NHS Trust,
 * the fire service with Southern Health, each under an agreement with access rules. Plans,
 * people and dates are fixed; review dates are worked out from the seeding day, so the demo
 * always has a review coming up and one overdue.
 */

const SECTIONS = ['presentationAndTriggers', 'whatHelps', 'whatToAvoid', 'agreedResponse', 'contacts'];

export const careAgreements: DemoAgreement[] = [
  {
    owner: 'hampshire-constabulary',
    partner: 'southern-health',
    title: 'Shared care plans: Southern Health',
    purpose: 'Coordinating the police response with the community mental health team for people who repeatedly come to police attention.',
    lawfulBasis: 'DPA 2018 Part 3, s.35 and s.42 (sensitive processing: safeguarding of individuals at risk); for the trust UK GDPR Art. 6(1)(e) and 9(2)(h).',
    rules: [
      { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: [...SECTIONS, 'reviewDueOn', 'consent'], conditions: { careTeamOnly: true } },
      { resource: 'CARE_PLAN_INPUT', actions: ['READ', 'CONTRIBUTE'], fieldScope: [] },
    ],
  },
  {
    owner: 'hampshire-constabulary',
    partner: 'solent-nhs',
    title: 'Shared care plans: Solent NHS Trust crisis team',
    purpose: 'Agreeing a safe response with the Portsmouth crisis team for people on a shared care plan, with their consent.',
    lawfulBasis: 'Consent of the subject, recorded on the plan; DPA 2018 Part 3, s.35(2)(a).',
    rules: [
      { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps', 'whatToAvoid', 'agreedResponse'], conditions: { careTeamOnly: true, requireConsent: true } },
      { resource: 'CARE_PLAN_INPUT', actions: ['READ'], fieldScope: [] },
    ],
  },
  {
    owner: 'hampshire-fire-rescue',
    partner: 'southern-health',
    title: 'Shared care plans: Southern Health (fire)',
    purpose: 'Coordinating home fire safety visits and the fire service response with the community mental health team.',
    lawfulBasis: 'UK GDPR Art. 6(1)(e) and 9(2)(g) (substantial public interest: safeguarding), DPA 2018 Sch. 1 para 18.',
    rules: [
      { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: [...SECTIONS, 'reviewDueOn'], conditions: { careTeamOnly: true } },
      { resource: 'CARE_PLAN_INPUT', actions: ['READ', 'CONTRIBUTE'], fieldScope: [] },
    ],
  },
];

export interface DemoTeamMember {
  organisation: string;
  subject: string;
  displayName: string;
  role: string;
}

export interface DemoInput {
  key: string;
  kind: 'MILO' | 'PARTNER' | 'CARER';
  organisation: string;
  subject: string | null;
  authorName: string;
  carerRelationship?: string;
  body: string;
  visibility: 'SHARED' | 'INTERNAL';
}

export interface DemoCarePlan {
  owner: string;
  reference: string;
  status: 'DRAFT' | 'ACTIVE' | 'UNDER_REVIEW' | 'CLOSED';
  leadMilo: string | null;
  /** Days from the seeding day to the review (negative: overdue). */
  reviewInDays: number | null;
  lawfulBasis: string;
  consent: { status: 'GIVEN' | 'REFUSED' | 'WITHDRAWN'; scope: string; recordedOn: string } | null;
  sections: Record<string, string>;
  subject: { displayName: string; dateOfBirth: string; nhsNumber?: string };
  team: DemoTeamMember[];
  inputs: DemoInput[];
  internalNote?: string;
}

const POLICE_BASIS = 'DPA 2018 Part 3, s.35 and s.42: safeguarding of an individual at risk who repeatedly comes to police attention.';

export const demoCarePlans: DemoCarePlan[] = [
  {
    owner: 'hampshire-constabulary',
    reference: 'CP-HC-0001',
    status: 'ACTIVE',
    leadMilo: 'hc-staff-2',
    reviewInDays: 30,
    lawfulBasis: POLICE_BASIS,
    consent: { status: 'GIVEN', scope: 'Sharing this plan with the Southern Health and Solent NHS care team members named on it.', recordedOn: '2026-03-02' },
    sections: {
      presentationAndTriggers: 'Becomes distressed near the Itchen Bridge, usually late evening after arguments at home; may not respond to their name.',
      whatHelps: 'One officer speaking calmly, using their first name; offering a hot drink; mentioning their dog.',
      whatToAvoid: 'Several officers approaching at once; handcuffs unless there is immediate danger; raised voices.',
      agreedResponse: 'Call the street triage team first; consider a place of safety other than custody; inform the named CMHN next working day.',
      contacts: 'CMHN (Southern Health) via Antelope House duty line; Solent crisis team out of hours.',
    },
    subject: { displayName: 'Alex Morgan', dateOfBirth: '1984-05-12', nhsNumber: '9434765919' },
    team: [
      { organisation: 'hampshire-constabulary', subject: 'hc-staff-2', displayName: 'Lead MILO, Southampton', role: 'Lead MILO' },
      { organisation: 'southern-health', subject: 'sh-clinician-1', displayName: 'Dr Omar Haddad', role: 'Consultant psychiatrist' },
      { organisation: 'solent-nhs', subject: 'solent-clinician-1', displayName: 'Dr Tom Reid', role: 'Crisis team clinician' },
    ],
    inputs: [
      { key: 'milo-shared', kind: 'MILO', organisation: 'hampshire-constabulary', subject: 'hc-staff-2', authorName: 'Lead MILO, Southampton', body: 'Three contacts this month, all resolved without detention using the agreed response.', visibility: 'SHARED' },
      { key: 'milo-internal', kind: 'MILO', organisation: 'hampshire-constabulary', subject: 'hc-staff-2', authorName: 'Lead MILO, Southampton', body: 'Intelligence log cross-reference held on force systems (police only).', visibility: 'INTERNAL' },
      { key: 'carer', kind: 'CARER', organisation: 'hampshire-constabulary', subject: 'hc-staff-2', authorName: 'Recorded by Lead MILO', carerRelationship: 'Mother', body: 'Calls her first when unsettled; she can usually come within 30 minutes.', visibility: 'SHARED' },
      { key: 'southern-health', kind: 'PARTNER', organisation: 'southern-health', subject: 'sh-clinician-1', authorName: 'Dr Omar Haddad', body: 'Medication reviewed in March; early warning signs are sleeplessness and missed appointments.', visibility: 'SHARED' },
    ],
    internalNote: 'Firearms licence check completed: none held.',
  },
  {
    owner: 'hampshire-constabulary',
    reference: 'CP-HC-0002',
    status: 'UNDER_REVIEW',
    leadMilo: 'hc-lead-01',
    reviewInDays: -5,
    lawfulBasis: POLICE_BASIS,
    consent: null,
    sections: {
      presentationAndTriggers: 'Calls 999 repeatedly at night when alone; not usually at risk of harm.',
      whatHelps: 'A planned weekly call from the community team.',
      agreedResponse: 'Triage by the control room mental health nurse before any deployment.',
    },
    subject: { displayName: 'Sam Patel', dateOfBirth: '1979-11-03' },
    team: [
      { organisation: 'hampshire-constabulary', subject: 'hc-lead-01', displayName: 'Lead MILO, Portsmouth', role: 'Lead MILO' },
      { organisation: 'southern-health', subject: 'sh-clinician-2', displayName: 'Beth Carter RMN', role: 'Community mental health nurse' },
      { organisation: 'solent-nhs', subject: 'solent-clinician-1', displayName: 'Dr Tom Reid', role: 'Crisis team clinician' },
    ],
    inputs: [
      { key: 'milo-shared', kind: 'MILO', organisation: 'hampshire-constabulary', subject: 'hc-lead-01', authorName: 'Lead MILO, Portsmouth', body: 'Review due: calls have dropped since the weekly call started.', visibility: 'SHARED' },
    ],
  },
  {
    owner: 'hampshire-constabulary',
    reference: 'CP-HC-0003',
    status: 'DRAFT',
    leadMilo: 'hc-lead-02',
    reviewInDays: null,
    lawfulBasis: POLICE_BASIS,
    consent: null,
    sections: { presentationAndTriggers: 'Draft: first contacts being gathered.' },
    subject: { displayName: 'Jordan Lee', dateOfBirth: '1996-02-20' },
    team: [{ organisation: 'hampshire-constabulary', subject: 'hc-lead-02', displayName: 'Lead MILO, Basingstoke', role: 'Lead MILO' }],
    inputs: [],
  },
  {
    owner: 'hampshire-fire-rescue',
    reference: 'CP-HFRS-0001',
    status: 'ACTIVE',
    leadMilo: 'hfrs-lead-01',
    reviewInDays: 60,
    lawfulBasis: 'UK GDPR Art. 6(1)(e) and 9(2)(g); DPA 2018 Sch. 1 para 18 (safeguarding of individuals at risk).',
    consent: { status: 'GIVEN', scope: 'Sharing with the Southern Health community team.', recordedOn: '2026-05-14' },
    sections: {
      presentationAndTriggers: 'Hoarding in the flat; candles used when the electricity meter runs out.',
      whatHelps: 'Visits arranged in advance by phone; the same crew where possible.',
      whatToAvoid: 'Removing belongings without agreement.',
      agreedResponse: 'Home fire safety visit every three months; refer to the CMHN if the meter keeps running out.',
    },
    subject: { displayName: 'Chris Evans', dateOfBirth: '1958-08-30' },
    team: [
      { organisation: 'hampshire-fire-rescue', subject: 'hfrs-lead-01', displayName: 'Lead Fire MILO, Eastleigh', role: 'Lead Fire MILO' },
      { organisation: 'southern-health', subject: 'sh-clinician-2', displayName: 'Beth Carter RMN', role: 'Community mental health nurse' },
    ],
    inputs: [
      { key: 'milo-shared', kind: 'MILO', organisation: 'hampshire-fire-rescue', subject: 'hfrs-lead-01', authorName: 'Lead Fire MILO, Eastleigh', body: 'Smoke alarms fitted and tested on the last visit.', visibility: 'SHARED' },
    ],
  },
];
