import type { OrganisationKind } from '../src/modules/organisations/organisation.entity';
import { demoRosters } from './demo-milos';
import { demoPerson as person, type DemoPerson } from './demo-person';

export type { DemoPerson } from './demo-person';

export interface DemoOrganisation {
  slug: string;
  name: string;
  kind: OrganisationKind;
  region: string;
  scheme?: { name: string; purpose: string; roleBoundaries: string };
  people: DemoPerson[];
}

/**
 * The demo organisations of Hampshire and the Isle of Wight. Subjects are what development
 * tokens carry (`npm run token -- --org <slug> --roles <ROLE> --sub <subject>`).
 */
export const demoOrganisations: DemoOrganisation[] = [
  {
    slug: 'hampshire-constabulary',
    name: 'Hampshire and Isle of Wight Constabulary',
    kind: 'POLICE',
    region: 'Hampshire and the Isle of Wight',
    scheme: {
      name: 'Mental Ill-health Liaison Officer (MILO) scheme',
      purpose:
        'Officers, staff and volunteers with extra mental-health training give colleagues initial support and signposting, advise officers dealing with members of the public, and manage care plans for people who repeatedly come to police attention.',
      roleBoundaries:
        'MILOs are not counsellors or clinicians: they listen, support and signpost (Occupational Health, the Employee Support line, partner services). Nobody acts as a MILO before minimum training.',
    },
    people: [
      person('hc-admin-1', 'Sam Patel', 'hampshire.police.uk', 'POLICE_STAFF', 'Headquarters, Eastleigh', ['SCHEME_ADMIN', 'STAFF']),
      person('hc-auditor-1', 'Priya Shah', 'hampshire.police.uk', 'POLICE_STAFF', 'Headquarters, Eastleigh', ['AUDITOR']),
      person('hc-staff-1', 'Jordan Reeves', 'hampshire.police.uk', 'POLICE_OFFICER', 'Basingstoke', ['STAFF']),
      person('hc-staff-2', 'Alex Morgan', 'hampshire.police.uk', 'POLICE_STAFF', 'Southampton Central', ['STAFF']),
      person('hc-staff-3', 'Chris Taylor', 'hampshire.police.uk', 'SPECIAL_CONSTABLE', 'Portsmouth', ['STAFF']),
      person('hc-staff-4', 'Morgan Hughes', 'hampshire.police.uk', 'POLICE_VOLUNTEER', 'Newport, Isle of Wight', ['STAFF']),
      // MILOs and Lead MILOs of the scheme (hc-lead-01…05, hc-milo-01…54), all STAFF.
      ...demoRosters['hampshire-constabulary'].people,
    ],
  },
  {
    slug: 'hampshire-fire-rescue',
    name: 'Hampshire and Isle of Wight Fire and Rescue Service',
    kind: 'FIRE_RESCUE',
    region: 'Hampshire and the Isle of Wight',
    scheme: {
      name: 'Fire MILO scheme',
      purpose: 'Firefighters and staff trained to give colleagues initial mental-health support and signposting after difficult incidents.',
      roleBoundaries: 'Fire MILOs support and signpost; clinical care stays with the shared Occupational Health unit and the NHS.',
    },
    people: [
      person('hfrs-admin-1', 'Robin Ellis', 'hantsfire.gov.uk', 'FIRE_STAFF', 'Eastleigh HQ', ['SCHEME_ADMIN', 'STAFF']),
      person('hfrs-auditor-1', 'Kim Osei', 'hantsfire.gov.uk', 'FIRE_STAFF', 'Eastleigh HQ', ['AUDITOR']),
      person('hfrs-staff-1', 'Jamie Cole', 'hantsfire.gov.uk', 'FIREFIGHTER', 'Winchester', ['STAFF']),
      person('hfrs-staff-2', 'Lee Fraser', 'hantsfire.gov.uk', 'FIREFIGHTER', 'Fareham', ['STAFF']),
      person('hfrs-staff-3', 'Nat Brooks', 'hantsfire.gov.uk', 'FIREFIGHTER', 'Ryde, Isle of Wight', ['STAFF']),
      // Fire MILOs and Leads (hfrs-lead-01…02, hfrs-milo-01…10), all STAFF.
      ...demoRosters['hampshire-fire-rescue'].people,
    ],
  },
  {
    slug: 'southern-health',
    name: 'Southern Health NHS Foundation Trust',
    kind: 'NHS_TRUST',
    region: 'Hampshire',
    people: [
      person('sh-admin-1', 'Dr Helen Marsh', 'southernhealth.nhs.uk', 'HEALTH_STAFF', null, ['SCHEME_ADMIN']),
      person('sh-clinician-1', 'Dr Omar Haddad', 'southernhealth.nhs.uk', 'CLINICIAN', 'Antelope House', ['PARTNER']),
      person('sh-clinician-2', 'Beth Carter RMN', 'southernhealth.nhs.uk', 'CLINICIAN', 'Parklands Hospital', ['PARTNER']),
      person('sh-auditor-1', 'Grace Lin', 'southernhealth.nhs.uk', 'HEALTH_STAFF', null, ['AUDITOR']),
    ],
  },
  {
    slug: 'solent-nhs',
    name: 'Solent NHS Trust',
    kind: 'NHS_TRUST',
    region: 'Southampton and Portsmouth',
    people: [
      person('solent-admin-1', 'Ruth Adeyemi', 'solent.nhs.uk', 'HEALTH_STAFF', null, ['SCHEME_ADMIN']),
      person('solent-clinician-1', 'Dr Tom Reid', 'solent.nhs.uk', 'CLINICIAN', 'St Mary\'s, Portsmouth', ['PARTNER']),
      person('solent-auditor-1', 'Ivy Novak', 'solent.nhs.uk', 'HEALTH_STAFF', null, ['AUDITOR']),
    ],
  },
  {
    slug: 'hiow-occupational-health',
    name: 'Hampshire and Isle of Wight Occupational Health Unit',
    kind: 'OCCUPATIONAL_HEALTH',
    region: 'Hampshire and the Isle of Wight',
    people: [
      person('oh-admin-1', 'Maria Lopez', 'hiow-oh.org.uk', 'HEALTH_STAFF', 'Netley', ['SCHEME_ADMIN']),
      person('oh-adviser-1', 'Paul Grant', 'hiow-oh.org.uk', 'OCCUPATIONAL_HEALTH_ADVISER', 'Netley', ['PARTNER', 'STAFF']),
      person('oh-adviser-2', 'Aisha Khan', 'hiow-oh.org.uk', 'OCCUPATIONAL_HEALTH_ADVISER', 'Netley', ['PARTNER', 'STAFF']),
      person('oh-auditor-1', 'Ben Walsh', 'hiow-oh.org.uk', 'HEALTH_STAFF', 'Netley', ['AUDITOR']),
    ],
  },
  {
    // The platform's own operator organisation: the only one whose people may act as
    // PLATFORM_OPERATOR (a tenant's identity provider asserting it gets nothing).
    slug: 'milo-platform',
    name: 'MILO Platform operations',
    kind: 'PLATFORM',
    region: 'United Kingdom',
    people: [
      person('op-admin-1', 'Rowan Price', 'milo-platform.org.uk', 'OTHER', null, ['SCHEME_ADMIN', 'PLATFORM_OPERATOR']),
      person('platform-operator-1', 'Dana Whitfield', 'milo-platform.org.uk', 'OTHER', null, ['PLATFORM_OPERATOR']),
      person('op-auditor-1', 'Femi Adebayo', 'milo-platform.org.uk', 'OTHER', null, ['AUDITOR']),
    ],
  },
];

/**
 * The seeded person to put in a development token, when none is named: one holding every role
 * asked for when there is one (the platform records roles; a token's roles only narrow them),
 * else one holding the first.
 */
export function demoSubjectFor(slug: string, roles: string | readonly string[] | undefined): string | undefined {
  const organisation = demoOrganisations.find((candidate) => candidate.slug === slug);
  if (!organisation) return undefined;
  const wanted = typeof roles === 'string' ? [roles] : [...(roles ?? [])];
  const holding = (required: readonly string[]) =>
    organisation.people
      .filter((candidate) => required.length > 0 && required.every((role) => (candidate.roles as string[]).includes(role)))
      // The person with the fewest other roles, so a STAFF token is not silently also an admin's.
      .sort((a, b) => a.roles.length - b.roles.length);
  return (holding(wanted)[0] ?? holding(wanted.slice(0, 1))[0] ?? organisation.people[0])?.subject;
}

/** The roles the seeds record for a subject of a seeded organisation; undefined when it is no seeded person. */
export function demoRolesOf(slug: string, subject: string): readonly string[] | undefined {
  return demoOrganisations.find((candidate) => candidate.slug === slug)?.people.find((person) => person.subject === subject)?.roles;
}
