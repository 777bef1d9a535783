import type { EmploymentType } from '../src/modules/people/person.entity';
import type { SchemeRoleCode } from '../src/modules/schemes/scheme-role';
import { demoPerson, type DemoPerson } from './demo-person';

/*
 * The MILO rosters of the demo schemes: who is a MILO or Lead MILO, where, under which Lead,
 * and what state their membership and training are in. Everything here is fixed; dates are
 * worked out from the seeding day (see demo-schemes.ts), so the demo always has MILOs whose
 * training is about to expire.
 */

/** What a membership's history and training look like. */
export type MiloStory =
  /** Active, all training in date. */
  | { kind: 'ACTIVE'; servedDays: number }
  /** Active, but the expiring module's completion runs out in `days` days. */
  | { kind: 'EXPIRING'; days: number }
  /** Recorded ACTIVE, but the expiring module's completion ran out `days` days ago: reads LAPSED. */
  | { kind: 'EXPIRED'; days: number }
  /** Accepted `days` days ago; some training done. */
  | { kind: 'IN_TRAINING'; days: number }
  /** Applied `days` days ago; no training yet. */
  | { kind: 'APPLICANT'; days: number }
  /** Was active, suspended `days` days ago. */
  | { kind: 'SUSPENDED'; servedDays: number; days: number }
  /** Was active, withdrew `days` days ago. */
  | { kind: 'WITHDRAWN'; servedDays: number; days: number };

export interface DemoMilo {
  subject: string;
  role: SchemeRoleCode;
  area: string;
  capacity: number;
  /** The subject of the supervising Lead MILO. */
  leadSubject: string | null;
  story: MiloStory;
}

export interface DemoRoster {
  /** People the roster adds to the organisation (existing people may be members too). */
  people: DemoPerson[];
  milos: DemoMilo[];
}

const FIRST_NAMES = [
  'Amelia', 'Ben', 'Charlotte', 'Daniel', 'Ella', 'Femi', 'Georgia', 'Harry', 'Isla', 'Jack',
  'Kiran', 'Laura', 'Mohammed', 'Nina', 'Oliver', 'Poppy', 'Rhys', 'Sophie', 'Tom', 'Zara',
];
const LAST_NAMES = [
  'Ahmed', 'Baker', 'Clarke', 'Dawson', 'Evans', 'Fletcher', 'Green', 'Hall', 'Iqbal', 'Jenkins', 'King', 'Lewis',
  'Mitchell', 'Nolan', 'Okafor', 'Parker', 'Quinn', 'Robinson', 'Singh', 'Turner', 'Underwood', 'Vaughan', 'Wright',
];

/**
 * The n-th generated name. 20 and 23 are coprime, so the first 460 names are all different;
 * `offset` gives each organisation its own run of names.
 */
function generatedName(n: number): string {
  return `${FIRST_NAMES[n % FIRST_NAMES.length]} ${LAST_NAMES[(n * 7 + 3) % LAST_NAMES.length]}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** Deterministic spread of "served for" values between min and max days. */
const servedDays = (index: number, min: number, max: number) => min + ((index * 97) % (max - min + 1));

// ---------------------------------------------------------------------------------------
// Hampshire and Isle of Wight Constabulary: 6 Lead MILOs (one of them the existing
// `hc-staff-2`) and 54 MILOs over ten areas: 60 memberships.

interface Team {
  lead: string;
  leadArea: string;
  areas: Array<[area: string, milos: number]>;
}

const POLICE_TEAMS: Team[] = [
  { lead: 'hc-staff-2', leadArea: 'Southampton', areas: [['Southampton', 8]] },
  { lead: 'hc-lead-01', leadArea: 'Portsmouth', areas: [['Portsmouth', 7], ['Havant', 4]] },
  { lead: 'hc-lead-02', leadArea: 'Basingstoke', areas: [['Basingstoke', 6], ['Aldershot', 4]] },
  { lead: 'hc-lead-03', leadArea: 'Winchester', areas: [['Winchester', 5], ['Andover', 4]] },
  { lead: 'hc-lead-04', leadArea: 'Isle of Wight', areas: [['Isle of Wight', 6]] },
  { lead: 'hc-lead-05', leadArea: 'Eastleigh', areas: [['Eastleigh', 4], ['New Forest', 6]] },
];

/** Memberships that are not simply ACTIVE, by MILO number (1-based). */
const POLICE_STORIES: Record<number, MiloStory> = {
  4: { kind: 'IN_TRAINING', days: 21 },
  8: { kind: 'APPLICANT', days: 9 },
  11: { kind: 'EXPIRING', days: 4 },
  16: { kind: 'IN_TRAINING', days: 45 },
  19: { kind: 'EXPIRED', days: 9 },
  22: { kind: 'EXPIRING', days: 11 },
  26: { kind: 'APPLICANT', days: 30 },
  30: { kind: 'IN_TRAINING', days: 60 },
  34: { kind: 'EXPIRING', days: 18 },
  36: { kind: 'SUSPENDED', servedDays: 400, days: 40 },
  39: { kind: 'IN_TRAINING', days: 12 },
  42: { kind: 'WITHDRAWN', servedDays: 500, days: 90 },
  45: { kind: 'APPLICANT', days: 3 },
  48: { kind: 'EXPIRING', days: 26 },
  51: { kind: 'IN_TRAINING', days: 33 },
};

const POLICE_EMPLOYMENT: EmploymentType[] = ['POLICE_OFFICER', 'POLICE_OFFICER', 'POLICE_STAFF', 'POLICE_OFFICER', 'SPECIAL_CONSTABLE', 'POLICE_STAFF', 'POLICE_VOLUNTEER'];

function policeRoster(): DemoRoster {
  const domain = 'hampshire.police.uk';
  const people: DemoPerson[] = [];
  const milos: DemoMilo[] = [];
  let name = 0;
  POLICE_TEAMS.forEach((team, teamIndex) => {
    if (team.lead !== 'hc-staff-2') {
      people.push(demoPerson(team.lead, generatedName(name++), domain, teamIndex % 2 ? 'POLICE_STAFF' : 'POLICE_OFFICER', team.leadArea, ['STAFF']));
    }
    milos.push({ subject: team.lead, role: 'LEAD_MILO', area: team.leadArea, capacity: 2, leadSubject: null, story: { kind: 'ACTIVE', servedDays: 600 + teamIndex * 60 } });
  });
  let number = 0;
  for (const team of POLICE_TEAMS) {
    for (const [area, count] of team.areas) {
      for (let i = 0; i < count; i++) {
        number += 1;
        const subject = `hc-milo-${two(number)}`;
        people.push(demoPerson(subject, generatedName(name++), domain, POLICE_EMPLOYMENT[number % POLICE_EMPLOYMENT.length], area, ['STAFF']));
        milos.push({
          subject,
          role: 'MILO',
          area,
          capacity: 3 + (number % 4),
          leadSubject: team.lead,
          story: POLICE_STORIES[number] ?? { kind: 'ACTIVE', servedDays: servedDays(number, 45, 940) },
        });
      }
    }
  }
  return { people, milos };
}

// ---------------------------------------------------------------------------------------
// Hampshire and Isle of Wight Fire and Rescue: 2 Lead Fire MILOs and 10 Fire MILOs, one per station.

const FIRE_TEAMS: Team[] = [
  { lead: 'hfrs-lead-01', leadArea: 'Eastleigh', areas: [['Winchester', 1], ['Fareham', 1], ['Eastleigh', 1], ['Southampton St Mary\'s', 1], ['Cosham', 1]] },
  { lead: 'hfrs-lead-02', leadArea: 'Basingstoke', areas: [['Basingstoke', 1], ['Andover', 1], ['Rushmoor', 1], ['Ryde, Isle of Wight', 1], ['Newport, Isle of Wight', 1]] },
];

const FIRE_STORIES: Record<number, MiloStory> = {
  4: { kind: 'EXPIRING', days: 12 },
  7: { kind: 'IN_TRAINING', days: 28 },
  9: { kind: 'APPLICANT', days: 6 },
};

function fireRoster(): DemoRoster {
  const domain = 'hantsfire.gov.uk';
  const people: DemoPerson[] = [];
  const milos: DemoMilo[] = [];
  let name = 200;
  FIRE_TEAMS.forEach((team, teamIndex) => {
    people.push(demoPerson(team.lead, generatedName(name++), domain, 'FIREFIGHTER', team.leadArea, ['STAFF']));
    milos.push({ subject: team.lead, role: 'LEAD_MILO', area: team.leadArea, capacity: 2, leadSubject: null, story: { kind: 'ACTIVE', servedDays: 420 + teamIndex * 90 } });
  });
  let number = 0;
  for (const team of FIRE_TEAMS) {
    for (const [area] of team.areas) {
      number += 1;
      const subject = `hfrs-milo-${two(number)}`;
      people.push(demoPerson(subject, generatedName(name++), domain, number % 4 === 0 ? 'FIRE_STAFF' : 'FIREFIGHTER', area, ['STAFF']));
      milos.push({
        subject,
        role: 'MILO',
        area,
        capacity: 3 + (number % 3),
        leadSubject: team.lead,
        story: FIRE_STORIES[number] ?? { kind: 'ACTIVE', servedDays: servedDays(number, 40, 600) },
      });
    }
  }
  return { people, milos };
}

/** Rosters by organisation slug. */
export const demoRosters: Record<string, DemoRoster> = {
  'hampshire-constabulary': policeRoster(),
  'hampshire-fire-rescue': fireRoster(),
};
