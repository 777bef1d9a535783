import { addDays, addMonths, type IsoDate } from '../src/platform/calendar';
import type { MiloStatus } from '../src/modules/milos/milo-lifecycle';
import type { DemoMilo, DemoRoster } from './demo-milos';
import type { DemoSchemeConfiguration } from './demo-schemes';
import { stableId } from './stable-id';

/*
 * Turns a scheme's configuration and roster into table rows, with dates worked out from the
 * seeding day. Ids are stable (names, never dates), so seeding again on a later day finds
 * every row already there and writes nothing.
 */

export type Row = Record<string, unknown>;

export interface SchemeRows {
  schemeRoles: Row[];
  termsOfReference: Row[];
  modules: Row[];
  requirements: Row[];
  milos: Row[];
  records: Row[];
  statusChanges: Row[];
}

export interface SchemeSeedContext {
  slug: string;
  tenantId: string;
  schemeId: string;
  today: IsoDate;
  personId(subject: string): string;
  organisationId(slug: string): string;
}

/** Days of a plan between one module and the next. */
const MODULE_GAP_DAYS = 7;
/** A completion is renewed when it would otherwise run out within this many days. */
const RENEW_AHEAD_DAYS = 45;
/** The fixed calendar day refresher counts are worked out from (see withRefreshers). */
const REFERENCE_DAY = '2000-01-01';

interface StatusEvent {
  to: MiloStatus;
  on: IsoDate;
  reason: string;
  by: string;
}

interface Timeline {
  events: StatusEvent[];
  /** Each module's first completion; `renew`: refreshed while the member keeps their training up. */
  completions: Array<{ code: string; on: IsoDate; renew: boolean }>;
  /** Training is kept in date until this day (a withdrawn member stops). */
  trainingUntil: IsoDate;
}

const REASONS = {
  APPLICANT: 'Applied to join the scheme',
  IN_TRAINING: 'Application accepted; minimum training booked',
  ACTIVE: 'Minimum training complete and verified',
  SUSPENDED: 'Stepped back from the role for a while, at their own request',
  WITHDRAWN: 'Left the scheme on moving to a post outside it',
} as const;

function timeline(config: DemoSchemeConfiguration, milo: DemoMilo, memberNumber: number, today: IsoDate, admin: string, lead: string): Timeline {
  const story = milo.story;
  const expiring = story.kind === 'EXPIRING' || story.kind === 'EXPIRED';
  // Whoever's expiring module is the point of the story has not done an alternative to it.
  const plan = config.trainingPlan(memberNumber).filter((code) => !expiring || !alternativesOf(config, config.expiringModule).has(code));
  const joined = (activeOn: IsoDate): StatusEvent[] => [
    { to: 'APPLICANT', on: addDays(activeOn, -75), reason: REASONS.APPLICANT, by: admin },
    { to: 'IN_TRAINING', on: addDays(activeOn, -60), reason: REASONS.IN_TRAINING, by: lead },
    { to: 'ACTIVE', on: activeOn, reason: REASONS.ACTIVE, by: admin },
  ];
  // A full plan, finished ten days before activation, one module a week.
  const trained = (activeOn: IsoDate, except: string | null = null) =>
    plan
      .filter((code) => code !== except)
      .map((code, index, codes) => ({ code, on: addDays(activeOn, -10 - MODULE_GAP_DAYS * (codes.length - 1 - index)), renew: true }));

  switch (story.kind) {
    case 'ACTIVE': {
      const activeOn = addDays(today, -story.servedDays);
      return { events: joined(activeOn), completions: trained(activeOn), trainingUntil: today };
    }
    case 'EXPIRING':
    case 'EXPIRED': {
      // The one completion of the expiring module runs out `days` days from (or before) today.
      const validity = effectiveValidity(config, config.expiringModule) as number;
      const shift = story.kind === 'EXPIRING' ? story.days : -story.days;
      const lastCompletion = addDays(addMonths(today, -validity), shift);
      const activeOn = addDays(lastCompletion, 10);
      const completions = [...trained(addDays(activeOn, -MODULE_GAP_DAYS), config.expiringModule), { code: config.expiringModule, on: lastCompletion, renew: false }];
      return { events: joined(activeOn), completions, trainingUntil: today };
    }
    case 'IN_TRAINING': {
      const trainingOn = addDays(today, -story.days);
      const done = config.inTraining(story.days).map((code, index) => ({
        code,
        on: addDays(trainingOn, Math.min(story.days - 1, 3 + MODULE_GAP_DAYS * index)),
        renew: false,
      }));
      return {
        events: [
          { to: 'APPLICANT', on: addDays(trainingOn, -14), reason: REASONS.APPLICANT, by: admin },
          { to: 'IN_TRAINING', on: trainingOn, reason: REASONS.IN_TRAINING, by: lead },
        ],
        completions: done,
        trainingUntil: today,
      };
    }
    case 'APPLICANT':
      return { events: [{ to: 'APPLICANT', on: addDays(today, -story.days), reason: REASONS.APPLICANT, by: admin }], completions: [], trainingUntil: today };
    case 'SUSPENDED':
    case 'WITHDRAWN': {
      const activeOn = addDays(today, -story.servedDays);
      const on = addDays(today, -story.days);
      return {
        events: [...joined(activeOn), { to: story.kind, on, reason: REASONS[story.kind], by: lead }],
        completions: trained(activeOn),
        trainingUntil: story.kind === 'WITHDRAWN' ? on : today,
      };
    }
  }
}

/** Modules that satisfy a requirement together with this one ("one of" alternatives). */
function alternativesOf(config: DemoSchemeConfiguration, code: string): Set<string> {
  const requirements = Object.values(config.requirements).flat();
  return new Set(requirements.filter((r) => r.moduleCodes.includes(code)).flatMap((r) => r.moduleCodes.filter((other) => other !== code)));
}

/** Months a completion of the module counts for: its validity or the strictest refresh period. */
function effectiveValidity(config: DemoSchemeConfiguration, code: string): number | null {
  const catalogued = config.modules.find((candidate) => candidate.code === code);
  const limits = [
    catalogued?.validityMonths ?? null,
    ...Object.values(config.requirements)
      .flat()
      .filter((requirement) => requirement.moduleCodes.includes(code))
      .map((requirement) => requirement.refreshMonths),
  ].filter((months): months is number => months !== null);
  return limits.length ? Math.min(...limits) : null;
}

/**
 * A first completion and its refreshers, each taken two months before the last one runs out,
 * for as long as the member kept their training up (`until`). How many refreshers there are
 * is worked out on a fixed calendar, from the number of days between the first completion and
 * `until`: the count, and so the rows' ids, must not depend on the day the seed runs.
 */
function withRefreshers(first: IsoDate, validity: number | null, until: IsoDate): IsoDate[] {
  if (validity === null) return [first];
  const span = Math.round((Date.parse(until) - Date.parse(first)) / 86_400_000);
  const interval = Math.max(1, validity - 2);
  let last = REFERENCE_DAY;
  let count = 0;
  while (addMonths(last, validity) <= addDays(REFERENCE_DAY, span + RENEW_AHEAD_DAYS)) {
    last = addMonths(last, interval);
    count += 1;
  }
  const dates = [first];
  for (let n = 0; n < count; n++) dates.push(addMonths(dates[dates.length - 1], interval));
  return dates;
}

const stamp = (date: IsoDate, time: string) => `${date}T${time}Z`;

export function schemeRows(context: SchemeSeedContext, config: DemoSchemeConfiguration, roster: DemoRoster): SchemeRows {
  const { slug, tenantId, schemeId, today } = context;
  const adminId = context.personId(config.adminSubject);
  const moduleId = (code: string) => stableId('training-module', slug, code);
  const miloId = (subject: string) => stableId('milo', slug, subject);

  const schemeRoles = (Object.entries(config.roles) as Array<[string, { title: string; description: string }]>).map(([code, role]) => ({
    tenant_id: tenantId,
    id: stableId('scheme-role', slug, code),
    scheme_id: schemeId,
    code,
    title: role.title,
    description: role.description,
  }));

  const termsOfReference = config.termsOfReference.map((terms) => ({
    tenant_id: tenantId,
    id: stableId('terms-of-reference', slug, String(terms.version)),
    scheme_id: schemeId,
    version: terms.version,
    effective_from: terms.effectiveFrom,
    body: terms.body,
    created_by: terms.createdBy ? context.personId(terms.createdBy) : null,
    created_at: terms.createdAt,
  }));

  const modules = config.modules.map((entry) => ({
    tenant_id: tenantId,
    id: moduleId(entry.code),
    code: entry.code,
    title: entry.title,
    description: entry.description,
    provider_organisation_id: entry.providerSlug ? context.organisationId(entry.providerSlug) : null,
    provider_name: entry.providerName,
    hours: entry.hours,
    validity_months: entry.validityMonths,
    active: true,
  }));

  const requirements = Object.entries(config.requirements).flatMap(([role, list]) =>
    list.map((requirement) => ({
      tenant_id: tenantId,
      id: stableId('training-requirement', slug, role, requirement.key),
      scheme_id: schemeId,
      role_code: role,
      kind: requirement.kind,
      title: requirement.title,
      module_ids: requirement.moduleCodes.map(moduleId),
      refresh_months: requirement.refreshMonths,
      minimum_hours: requirement.minimumHours,
    })),
  );

  const milos: Row[] = [];
  const records: Row[] = [];
  const statusChanges: Row[] = [];
  // Leads first: the members' lead_milo_id refers to them.
  const ordered = [...roster.milos].sort((a, b) => Number(b.role === 'LEAD_MILO') - Number(a.role === 'LEAD_MILO'));
  ordered.forEach((milo, index) => {
    const personId = context.personId(milo.subject);
    const leadId = milo.leadSubject ? context.personId(milo.leadSubject) : adminId;
    const { events, completions, trainingUntil } = timeline(config, milo, index, today, adminId, leadId);
    const last = events[events.length - 1];
    milos.push({
      tenant_id: tenantId,
      id: miloId(milo.subject),
      scheme_id: schemeId,
      person_id: personId,
      role_code: milo.role,
      status: last.to,
      status_since: last.on,
      area: milo.area,
      capacity: milo.capacity,
      lead_milo_id: milo.leadSubject ? miloId(milo.leadSubject) : null,
    });
    events.forEach((event, n) => {
      statusChanges.push({
        tenant_id: tenantId,
        id: stableId('milo-status-change', slug, milo.subject, String(n)),
        milo_id: miloId(milo.subject),
        from_status: n === 0 ? null : events[n - 1].to,
        to_status: event.to,
        effective_on: event.on,
        reason: event.reason,
        changed_by: event.by,
        changed_at: stamp(event.on, '10:00:00'),
      });
    });
    for (const completion of completions) {
      const catalogued = config.modules.find((candidate) => candidate.code === completion.code)!;
      const dates = completion.renew ? withRefreshers(completion.on, effectiveValidity(config, completion.code), trainingUntil) : [completion.on];
      dates.forEach((completedOn, n) => {
        // Completions of the last few days are not verified yet.
        const verified = addDays(completedOn, 3) <= today;
        records.push({
          tenant_id: tenantId,
          id: stableId('training-record', slug, milo.subject, completion.code, String(n)),
          person_id: personId,
          module_id: moduleId(completion.code),
          completed_on: completedOn,
          evidence_reference: `${catalogued.evidencePrefix}-${completedOn.slice(0, 4)}-${String(1000 + ((index * 37 + n * 11 + catalogued.hours * 7) % 9000)).padStart(4, '0')}`,
          verified_by: verified ? adminId : null,
          verified_at: verified ? stamp(addDays(completedOn, 2), '12:00:00') : null,
        });
      });
    }
  });

  return { schemeRoles, termsOfReference, modules, requirements, milos, records, statusChanges };
}
