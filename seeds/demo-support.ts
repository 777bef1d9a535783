import type { TaxonomyKind } from '../src/modules/taxonomies/taxonomy-kind';
import type { SignpostingCategory } from '../src/modules/signposting/signposting-service.entity';

/*
 * Support-work configuration of the demo organisations: the code lists a police force and a
 * fire service start with, the signposting directory (the shared occupational-health unit
 * publishes its services to both), and the data sharing agreements that make that sharing,
 * and referrals back to the unit, lawful.
 */

export interface DemoTerm {
  code: string;
  label: string;
}

/** The taxonomies a new MILO scheme starts with (admins relabel, add and retire terms). */
export const demoTaxonomies: Record<TaxonomyKind, DemoTerm[]> = {
  SUPPORT_THEME: [
    { code: 'WORK_STRESS', label: 'Stress at work' },
    { code: 'TRAUMA_EXPOSURE', label: 'Exposure to a traumatic incident' },
    { code: 'BEREAVEMENT', label: 'Bereavement' },
    { code: 'RELATIONSHIPS', label: 'Relationships and family' },
    { code: 'FINANCIAL', label: 'Money worries' },
    { code: 'PHYSICAL_HEALTH', label: 'Physical health' },
    { code: 'OTHER', label: 'Something else' },
  ],
  CONTACT_OUTCOME: [
    { code: 'SUPPORT_GIVEN', label: 'Support given' },
    { code: 'SIGNPOSTED', label: 'Signposted to a service' },
    { code: 'FOLLOW_UP_BOOKED', label: 'Follow-up booked' },
    { code: 'REFERRED', label: 'Referred to a service' },
  ],
  CLOSURE_OUTCOME: [
    { code: 'RESOLVED', label: 'Resolved' },
    { code: 'REFERRED_ON', label: 'Referred on' },
    { code: 'DECLINED', label: 'Support declined' },
    { code: 'NO_RESPONSE', label: 'No response' },
  ],
  TRAINING_NEED: [
    { code: 'TRAUMA_RISK', label: 'Trauma risk management (TRiM)' },
    { code: 'SUICIDE_PREVENTION', label: 'Suicide prevention' },
    { code: 'NEURODIVERSITY', label: 'Autism and neurodiversity' },
    { code: 'DEMENTIA', label: 'Dementia awareness' },
    { code: 'CAMHS', label: 'Child and adolescent mental health' },
  ],
};

/** Organisations that run a scheme get the taxonomies. */
export const TAXONOMY_ORGANISATIONS = ['hampshire-constabulary', 'hampshire-fire-rescue'];

export interface DemoService {
  key: string;
  name: string;
  category: SignpostingCategory;
  description: string;
  phone?: string;
  email?: string;
  website?: string;
  availability?: string;
  eligibility?: string;
  crisis?: boolean;
  acceptsReferrals?: boolean;
}

const NHS_111: DemoService = {
  key: 'nhs-111-mh',
  name: 'NHS 111, option 2 (mental health crisis)',
  category: 'NHS_CRISIS',
  description: 'Urgent mental health help from the local NHS crisis team, for anyone of any age.',
  phone: '111',
  website: 'https://111.nhs.uk',
  availability: '24/7',
  eligibility: 'Anyone',
  crisis: true,
};

const EMERGENCY: DemoService = {
  key: 'emergency-999',
  name: 'Emergency services: 999',
  category: 'EMERGENCY',
  description: 'When a life is at risk now. The platform is not an emergency service.',
  phone: '999',
  availability: '24/7',
  eligibility: 'Anyone',
  crisis: true,
};

export const demoServices: Record<string, DemoService[]> = {
  'hiow-occupational-health': [
    {
      key: 'oh-referral',
      name: 'Occupational Health referral',
      category: 'OCCUPATIONAL_HEALTH',
      description: 'Assessment and support from the occupational-health unit shared by Hampshire police and fire. MILOs refer with the colleague’s consent.',
      phone: '023 8000 0100',
      email: 'oh.referrals@hiow-oh.nhs.uk',
      availability: 'Mon–Fri 08:30–17:00',
      eligibility: 'Officers, staff and volunteers of Hampshire Constabulary and Hampshire and Isle of Wight Fire and Rescue',
      acceptsReferrals: true,
    },
    {
      key: 'oh-eap',
      name: 'Employee Assistance Programme',
      category: 'EMPLOYEE_SUPPORT',
      description: 'Confidential telephone counselling and advice, arranged by the occupational-health unit.',
      phone: '0800 000 0200',
      availability: '24/7',
      eligibility: 'Police and fire employees and their household',
      crisis: true,
    },
  ],
  'hampshire-constabulary': [
    {
      key: 'mind-blue-light',
      name: 'Mind Blue Light Infoline',
      category: 'CHARITY',
      description: 'Information and signposting for emergency services staff and volunteers.',
      phone: '0300 303 5999',
      website: 'https://www.mind.org.uk/bluelight',
      availability: 'Mon–Fri 09:00–18:00',
      eligibility: 'Emergency services staff, volunteers and their families',
    },
    NHS_111,
    EMERGENCY,
    {
      key: 'police-welfare',
      name: 'Police welfare support',
      category: 'PEER_SUPPORT',
      description: 'The force’s welfare officers and the Police Federation’s welfare support.',
      email: 'welfare@hampshire.police.uk',
      availability: 'Mon–Fri 08:00–18:00',
      eligibility: 'Officers, staff and volunteers of the force',
    },
  ],
  'hampshire-fire-rescue': [
    {
      key: 'firefighters-charity',
      name: 'The Fire Fighters Charity',
      category: 'CHARITY',
      description: 'Mental, physical and social wellbeing support for the fire services community.',
      phone: '0800 389 8820',
      website: 'https://www.firefighterscharity.org.uk',
      availability: 'Mon–Fri 08:00–20:00',
      eligibility: 'Serving and retired fire services staff and their families',
    },
    NHS_111,
    EMERGENCY,
  ],
};

export interface DemoAgreement {
  owner: string;
  partner: string;
  title: string;
  purpose: string;
  lawfulBasis: string;
  rules: Array<{ resource: string; actions: string[]; fieldScope: string[]; conditions?: Record<string, boolean> }>;
}

const DIRECTORY = (partner: string): DemoAgreement => ({
  owner: 'hiow-occupational-health',
  partner,
  title: 'Occupational health services directory',
  purpose: 'So that MILOs can signpost colleagues to the shared occupational-health unit’s services and refer to them.',
  lawfulBasis: 'No personal data: service directory information only.',
  rules: [{ resource: 'SIGNPOSTING_SERVICE', actions: ['READ'], fieldScope: [] }],
});

const REFERRALS = (owner: string): DemoAgreement => ({
  owner,
  partner: 'hiow-occupational-health',
  title: 'Referrals to occupational health',
  purpose: 'Referring colleagues, with their consent, to the shared occupational-health unit, and following each referral’s progress.',
  lawfulBasis: 'UK GDPR Art. 6(1)(a) consent and 6(1)(c); Art. 9(2)(b) employment and 9(2)(h) occupational medicine; DPA 2018 Sch. 1 paras 1 and 2.',
  rules: [{ resource: 'REFERRAL', actions: ['READ', 'CONTRIBUTE'], fieldScope: ['urgency', 'reason', 'colleagueName', 'contactDetails'] }],
});

export const demoAgreements: DemoAgreement[] = [
  DIRECTORY('hampshire-constabulary'),
  DIRECTORY('hampshire-fire-rescue'),
  REFERRALS('hampshire-constabulary'),
  REFERRALS('hampshire-fire-rescue'),
];

/** Every demo agreement is in force from this day, with no end date. */
export const DEMO_AGREEMENTS_FROM = '2026-01-01';

/** What each scheme tells someone at immediate risk. */
export const demoCrisisGuidance: Record<string, string> = {
  'hampshire-constabulary':
    'If you or a colleague are in immediate danger, call 999 now. If you need urgent mental health help, call NHS 111 and choose option 2. A MILO will contact you as soon as one is available, but MILOs are not an emergency service.',
  'hampshire-fire-rescue':
    'If you or a colleague are in immediate danger, call 999 now. For urgent mental health help call NHS 111, option 2, or the Employee Assistance Programme at any hour. A Fire MILO will contact you as soon as one is available.',
};
