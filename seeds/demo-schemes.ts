import type { RequirementKind } from '../src/modules/training/eligibility';
import type { SchemeRoleCode } from '../src/modules/schemes/scheme-role';

/*
 * How each demo organisation has configured its scheme: role titles, terms of reference,
 * training catalogue and requirements, and which training its MILOs do. The police scheme
 * and the fire scheme differ on purpose: the same platform, each organisation's own rules.
 */

export interface DemoTermsOfReference {
  version: number;
  effectiveFrom: string;
  /** When it was put on the platform (ISO instant). */
  createdAt: string;
  /** Subject of the admin who published it; null = carried over from paper. */
  createdBy: string | null;
  body: string;
}

export interface DemoModule {
  code: string;
  title: string;
  description: string;
  /** Slug of the delivering organisation, when it is on the platform. */
  providerSlug: string | null;
  providerName: string | null;
  hours: number;
  validityMonths: number | null;
  /** Prefix of the evidence references (certificate numbers) its completions carry. */
  evidencePrefix: string;
}

export interface DemoRequirement {
  /** Stable key within the scheme role, for its seeded id. */
  key: string;
  title: string;
  kind: RequirementKind;
  moduleCodes: string[];
  refreshMonths: number | null;
  minimumHours: number | null;
}

export interface DemoSchemeConfiguration {
  roles: Record<SchemeRoleCode, { title: string; description: string }>;
  termsOfReference: DemoTermsOfReference[];
  modules: DemoModule[];
  requirements: Record<SchemeRoleCode, DemoRequirement[]>;
  /** Subject of the scheme admin who records and verifies training. */
  adminSubject: string;
  /** The modules a fully trained member has completed, in the order they did them. */
  trainingPlan(memberNumber: number): string[];
  /** What someone IN_TRAINING has done so far. */
  inTraining(daysInTraining: number): string[];
  /** The module whose expiry the EXPIRING and EXPIRED stories are about. */
  expiringModule: string;
}

const catalogueModule = (
  code: string,
  title: string,
  description: string,
  provider: { slug?: string; name?: string },
  hours: number,
  validityMonths: number | null,
  evidencePrefix: string,
): DemoModule => ({ code, title, description, providerSlug: provider.slug ?? null, providerName: provider.name ?? null, hours, validityMonths, evidencePrefix });

const needs = (key: string, title: string, moduleCodes: string[], refreshMonths: number | null = null): DemoRequirement => ({
  key,
  title,
  kind: 'MODULE',
  moduleCodes,
  refreshMonths,
  minimumHours: null,
});

const hours = (minimumHours: number): DemoRequirement => ({
  key: `hours-${minimumHours}`,
  title: `At least ${minimumHours} hours of in-date training`,
  kind: 'MINIMUM_HOURS',
  moduleCodes: [],
  refreshMonths: null,
  minimumHours,
});

// ---------------------------------------------------------------------------------------

const POLICE_TOR_V1 = `Hampshire Constabulary: Mental Ill-health Liaison Officer (MILO) scheme
Terms of reference, version 1

1. Purpose
The MILO scheme gives officers, staff and volunteers a trained colleague to turn to when their own mental health is affected, and gives officers dealing with members of the public in mental-health crisis a source of practical advice.

2. What MILOs do
- Listen to colleagues and offer initial, confidential support.
- Signpost to Occupational Health, the Employee Support line, Mind's Blue Light resources and local services.
- Advise officers at incidents involving people in mental-health crisis on options and partner services.

3. What MILOs do not do
- MILOs are not counsellors or clinicians: they do not diagnose, treat or offer therapy.
- MILOs take no part in misconduct, performance or attendance processes and are not staff association representatives.
- Advice to an officer never replaces the officer's own decision or their supervisor's.

4. Minimum training
Nobody acts as a MILO before completing the minimum training: autism awareness, dementia awareness, child and adolescent mental health awareness, the Mind Blue Light programme, and police powers at mental-health incidents.

5. Supervision
Every MILO belongs to a Lead MILO's team. Lead MILOs allocate requests, meet their MILOs monthly and review any contact that caused concern.

6. Confidentiality
What a colleague tells a MILO stays confidential, except where there is a risk of serious harm to them or to others, or a legal duty to disclose. The MILO then tells their Lead MILO and explains to the colleague what will happen next.

7. Signposting
MILOs signpost rather than refer, unless the colleague asks them to make a referral on their behalf.
`;

const POLICE_TOR_V2 = `Hampshire and Isle of Wight Constabulary: Mental Ill-health Liaison Officer (MILO) scheme
Terms of reference, version 2 (replaces version 1 of June 2016)

1. Purpose
MILOs give colleagues initial support and signposting when their mental health is affected, advise officers dealing with members of the public in mental-health crisis, and help manage care plans, agreed with NHS partners, for people who repeatedly come to police attention.

2. What MILOs do
- Listen, give initial confidential support and signpost: Occupational Health, the Employee Support line, Mind Blue Light, NHS crisis lines and local charities.
- Advise officers at incidents on options, powers and partner services.
- Contribute to care plans under the data sharing agreements with Southern Health and Solent NHS Trust.

3. What MILOs do not do
- Counsel, diagnose or treat; record clinical detail; take part in misconduct, performance or attendance processes.
- Act as a MILO while their training is out of date: the platform shows them as lapsed until it is refreshed.

4. Minimum training
Autism awareness, dementia awareness, child and adolescent mental health awareness, the Mind Blue Light programme (refreshed every 24 months) and police powers at mental-health incidents (refreshed every 36 months), with at least 12 hours of in-date training. Lead MILOs need at least 18 hours.

5. Supervision and capacity
Lead MILOs triage and allocate requests within each MILO's agreed capacity, hold monthly supervision and a quarterly review of their team's training.

6. Confidentiality and records
Support given is recorded on the MILO platform with the minimum detail needed (themes, time, signposting, outcome) and kept for the agreed retention period. Confidentiality ends only where there is a risk of serious harm or a legal duty to disclose; the colleague is told what will happen.

7. Signposting
MILOs signpost rather than refer, unless the colleague asks them to. Lead MILOs keep the signposting directory current.
`;

const FIRE_TOR_V1 = `Hampshire and Isle of Wight Fire and Rescue Service: Fire MILO scheme
Terms of reference, version 1

1. Purpose
Fire MILOs are firefighters and staff trained to give colleagues initial mental-health support and signposting, especially after difficult or traumatic incidents.

2. What Fire MILOs do
- Check in with crews after critical incidents and offer a confidential conversation.
- Signpost to the shared Occupational Health unit, The Fire Fighters Charity, Mind Blue Light and NHS services.
- Flag to their Lead Fire MILO when a crew may need a structured trauma risk management (TRiM) assessment.

3. What Fire MILOs do not do
Diagnose, treat or counsel; carry out TRiM assessments unless separately trained as practitioners; take part in discipline or attendance processes.

4. Minimum training
Trauma risk management awareness; either the Mind Blue Light programme or Mental Health First Aid; supporting colleagues after critical incidents (refreshed every 24 months); at least 10 hours of in-date training. Lead Fire MILOs need at least 16 hours.

5. Supervision
Each Fire MILO belongs to a Lead Fire MILO's group of stations; Leads meet their Fire MILOs every two months.

6. Confidentiality
Conversations stay confidential except where there is a risk of serious harm or a legal duty to disclose.
`;

const POLICE: DemoSchemeConfiguration = {
  roles: {
    MILO: {
      title: 'Mental Ill-health Liaison Officer (MILO)',
      description:
        'An officer, member of staff or volunteer who gives colleagues initial support and signposting, advises officers at mental-health incidents and helps manage care plans. Not a counsellor or clinician.',
    },
    LEAD_MILO: {
      title: 'Lead MILO',
      description: "Triages and allocates the area's requests, supervises a team of MILOs monthly and keeps their training in date.",
    },
  },
  termsOfReference: [
    { version: 1, effectiveFrom: '2016-06-01', createdAt: '2016-05-23T09:00:00Z', createdBy: null, body: POLICE_TOR_V1 },
    { version: 2, effectiveFrom: '2025-04-01', createdAt: '2025-03-14T10:30:00Z', createdBy: 'hc-admin-1', body: POLICE_TOR_V2 },
  ],
  modules: [
    catalogueModule('AUTISM', 'Autism awareness', 'Recognising autism and adapting communication, at work and at incidents.', { slug: 'southern-health' }, 3, null, 'SHFT-AUT'),
    catalogueModule('DEMENTIA', 'Dementia awareness', 'Recognising dementia, distress and missing-person risk; Dementia Friends content.', { name: "Alzheimer's Society" }, 3, null, 'DF'),
    catalogueModule('CAMH', 'Child and adolescent mental health awareness', 'Self-harm, eating disorders and crisis in children and young people; CAMHS pathways.', { slug: 'solent-nhs' }, 4, 36, 'SOL-CAMH'),
    catalogueModule('MIND-BLUE-LIGHT', 'Mind Blue Light programme', "Mind's mental-health training for the emergency services: supporting yourself and colleagues.", { name: 'Mind' }, 7, 24, 'MIND-BL'),
    catalogueModule('POLICE-POWERS', 'Police powers at mental-health incidents', 'Sections 135 and 136 of the Mental Health Act, the Mental Capacity Act and places of safety.', { slug: 'southern-health' }, 3, 36, 'SHFT-MHA'),
  ],
  requirements: {
    MILO: [
      needs('autism', 'Autism awareness', ['AUTISM']),
      needs('dementia', 'Dementia awareness', ['DEMENTIA']),
      needs('camh', 'Child and adolescent mental health awareness', ['CAMH']),
      needs('blue-light', 'Mind Blue Light programme', ['MIND-BLUE-LIGHT']),
      needs('powers', 'Police powers at mental-health incidents, refreshed every 36 months', ['POLICE-POWERS'], 36),
      hours(12),
    ],
    LEAD_MILO: [
      needs('autism', 'Autism awareness', ['AUTISM']),
      needs('dementia', 'Dementia awareness', ['DEMENTIA']),
      needs('camh', 'Child and adolescent mental health awareness', ['CAMH']),
      needs('blue-light', 'Mind Blue Light programme', ['MIND-BLUE-LIGHT']),
      needs('powers', 'Police powers at mental-health incidents, refreshed every 36 months', ['POLICE-POWERS'], 36),
      hours(18),
    ],
  },
  adminSubject: 'hc-admin-1',
  trainingPlan: () => ['AUTISM', 'DEMENTIA', 'CAMH', 'POLICE-POWERS', 'MIND-BLUE-LIGHT'],
  inTraining: (days) => (days > 40 ? ['AUTISM', 'DEMENTIA', 'CAMH'] : days > 14 ? ['AUTISM', 'DEMENTIA'] : ['AUTISM']),
  expiringModule: 'MIND-BLUE-LIGHT',
};

const FIRE: DemoSchemeConfiguration = {
  roles: {
    MILO: {
      title: 'Fire MILO',
      description: 'A firefighter or member of staff who checks in with colleagues after difficult incidents, offers initial support and signposts.',
    },
    LEAD_MILO: {
      title: 'Lead Fire MILO',
      description: 'Supports the Fire MILOs of a group of stations, triages requests and flags crews for trauma risk management.',
    },
  },
  termsOfReference: [{ version: 1, effectiveFrom: '2023-09-01', createdAt: '2023-08-15T14:00:00Z', createdBy: 'hfrs-admin-1', body: FIRE_TOR_V1 }],
  modules: [
    catalogueModule('TRIM-AWARENESS', 'Trauma risk management (TRiM) awareness', 'How traumatic exposure affects crews, and when a TRiM assessment helps.', { slug: 'hiow-occupational-health' }, 6, 36, 'OH-TRIM'),
    catalogueModule('MIND-BLUE-LIGHT', 'Mind Blue Light programme', "Mind's mental-health training for the emergency services.", { name: 'Mind' }, 7, 24, 'MIND-BL'),
    catalogueModule('MHFA', 'Mental Health First Aid', 'Two-day Mental Health First Aid course.', { name: 'MHFA England' }, 14, 36, 'MHFA'),
    catalogueModule('CRITICAL-INCIDENT', 'Supporting colleagues after critical incidents', 'Defusing, hot debriefs and checking in with crews after critical incidents.', { name: 'The Fire Fighters Charity' }, 4, null, 'FFC-CI'),
  ],
  requirements: {
    MILO: [
      needs('trim', 'Trauma risk management awareness', ['TRIM-AWARENESS']),
      needs('first-aid', 'Mind Blue Light programme or Mental Health First Aid', ['MIND-BLUE-LIGHT', 'MHFA']),
      needs('critical-incidents', 'Supporting colleagues after critical incidents, refreshed every 24 months', ['CRITICAL-INCIDENT'], 24),
      hours(10),
    ],
    LEAD_MILO: [
      needs('trim', 'Trauma risk management awareness', ['TRIM-AWARENESS']),
      needs('first-aid', 'Mind Blue Light programme or Mental Health First Aid', ['MIND-BLUE-LIGHT', 'MHFA']),
      needs('critical-incidents', 'Supporting colleagues after critical incidents, refreshed every 24 months', ['CRITICAL-INCIDENT'], 24),
      hours(16),
    ],
  },
  adminSubject: 'hfrs-admin-1',
  // Odd-numbered members chose Mental Health First Aid over Blue Light: the "one of" alternative.
  trainingPlan: (memberNumber) => ['TRIM-AWARENESS', memberNumber % 2 ? 'MHFA' : 'MIND-BLUE-LIGHT', 'CRITICAL-INCIDENT'],
  inTraining: () => ['TRIM-AWARENESS'],
  expiringModule: 'MIND-BLUE-LIGHT',
};

/** Scheme configurations by organisation slug. */
export const demoSchemeConfigurations: Record<string, DemoSchemeConfiguration> = {
  'hampshire-constabulary': POLICE,
  'hampshire-fire-rescue': FIRE,
};
