import { addMonths, earliest, type IsoDate } from '../../platform/calendar';

/*
 * Eligibility: may this person act in this scheme role on this date? One engine of pure
 * functions, fed with the scheme's requirements, the module catalogue and the person's
 * training records; the service loads those and the GraphQL layer explains the answer.
 *
 * Expiry convention: a completion valid for N months expires ON completedOn + N months, so it
 * counts up to the day before. "Expired yesterday" means the expiry date is yesterday.
 */

export interface ModuleFacts {
  id: string;
  code: string;
  title: string;
  hours: number;
  /** Months a completion stays valid; null = it does not expire. */
  validityMonths: number | null;
}

export type RequirementKind = 'MODULE' | 'MINIMUM_HOURS';

export interface RequirementFacts {
  id: string;
  title: string;
  kind: RequirementKind;
  /** MODULE: any one of these modules satisfies the requirement ("one of" alternatives). */
  moduleIds: string[];
  /** MODULE: must be refreshed every N months, whatever the module's own validity. */
  refreshMonths: number | null;
  /** MINIMUM_HOURS: total hours of currently valid training needed. */
  minimumHours: number | null;
}

export interface RecordFacts {
  moduleId: string;
  completedOn: IsoDate;
}

export type UnmetReason = 'MISSING' | 'EXPIRED' | 'HOURS_SHORT';

export interface UnmetRequirement {
  requirementId: string;
  title: string;
  reason: UnmetReason;
  /** EXPIRED: the day the last valid completion expired. */
  expiredOn: IsoDate | null;
  /** HOURS_SHORT: how many hours are missing. */
  hoursShort: number | null;
}

export interface MetRequirement {
  requirementId: string;
  /** MODULE: the module whose completion counts (the one that stays valid longest). */
  satisfiedByModuleId: string | null;
  /** The day this requirement stops being met; null = not before anything else changes. */
  lapsesOn: IsoDate | null;
}

export interface Eligibility {
  eligible: boolean;
  asOf: IsoDate;
  met: MetRequirement[];
  unmet: UnmetRequirement[];
  /** When eligible: the first day the person will no longer be, as things stand. */
  nextLapseOn: IsoDate | null;
}

/** When one completion of a module stops counting under a requirement; null = never. */
export function expiryOf(record: RecordFacts, module: ModuleFacts, refreshMonths: number | null = null): IsoDate | null {
  const limits = [module.validityMonths, refreshMonths].filter((months): months is number => months !== null);
  if (limits.length === 0) return null;
  return addMonths(record.completedOn, Math.min(...limits));
}

/** Later expiry wins; null (never expires) beats any date. */
function outlasts(a: IsoDate | null, b: IsoDate | null): boolean {
  if (a === null) return b !== null;
  return b !== null && a > b;
}

interface Completion {
  moduleId: string;
  expiresOn: IsoDate | null;
}

/** Completions that count on asOf (completed by then, not yet expired). */
function validCompletions(records: RecordFacts[], modules: Map<string, ModuleFacts>, asOf: IsoDate, refreshMonths: number | null): Completion[] {
  return records.flatMap((record) => {
    const module = modules.get(record.moduleId);
    if (!module || record.completedOn > asOf) return [];
    const expiresOn = expiryOf(record, module, refreshMonths);
    return expiresOn === null || expiresOn > asOf ? [{ moduleId: record.moduleId, expiresOn }] : [];
  });
}

function evaluateModuleRequirement(
  requirement: RequirementFacts,
  modules: Map<string, ModuleFacts>,
  records: RecordFacts[],
  asOf: IsoDate,
): MetRequirement | UnmetRequirement {
  const relevant = records.filter((record) => requirement.moduleIds.includes(record.moduleId));
  const valid = validCompletions(relevant, modules, asOf, requirement.refreshMonths);
  if (valid.length > 0) {
    const best = valid.reduce((a, b) => (outlasts(b.expiresOn, a.expiresOn) ? b : a));
    return { requirementId: requirement.id, satisfiedByModuleId: best.moduleId, lapsesOn: best.expiresOn };
  }
  const past = relevant.flatMap((record) => {
    const module = modules.get(record.moduleId);
    const expiresOn = module && record.completedOn <= asOf ? expiryOf(record, module, requirement.refreshMonths) : null;
    return expiresOn ? [expiresOn] : [];
  });
  const expiredOn = past.length ? past.reduce((a, b) => (a > b ? a : b)) : null;
  return {
    requirementId: requirement.id,
    title: requirement.title,
    reason: expiredOn ? 'EXPIRED' : 'MISSING',
    expiredOn,
    hoursShort: null,
  };
}

/** Hours of currently valid training, each module counted once. */
function validHours(completions: Completion[], modules: Map<string, ModuleFacts>): number {
  const distinct = new Set(completions.map((completion) => completion.moduleId));
  return [...distinct].reduce((total, moduleId) => total + (modules.get(moduleId)?.hours ?? 0), 0);
}

function evaluateHoursRequirement(
  requirement: RequirementFacts,
  modules: Map<string, ModuleFacts>,
  records: RecordFacts[],
  asOf: IsoDate,
): MetRequirement | UnmetRequirement {
  const minimum = requirement.minimumHours ?? 0;
  const valid = validCompletions(records, modules, asOf, null);
  const hours = validHours(valid, modules);
  if (hours < minimum) {
    return {
      requirementId: requirement.id,
      title: requirement.title,
      reason: 'HOURS_SHORT',
      expiredOn: null,
      hoursShort: Math.round((minimum - hours) * 10) / 10,
    };
  }
  // The hours fall short on the first expiry date after which too few remain.
  const expiries = [...new Set(valid.map((completion) => completion.expiresOn).filter((date): date is IsoDate => date !== null))].sort();
  const lapsesOn = expiries.find((date) => validHours(valid.filter((c) => c.expiresOn === null || c.expiresOn > date), modules) < minimum) ?? null;
  return { requirementId: requirement.id, satisfiedByModuleId: null, lapsesOn };
}

/** Eligibility of one person for one scheme role on one date. */
export function eligibilityFor(input: {
  requirements: RequirementFacts[];
  modules: ModuleFacts[];
  records: RecordFacts[];
  asOf: IsoDate;
}): Eligibility {
  const modules = new Map(input.modules.map((module) => [module.id, module]));
  const met: MetRequirement[] = [];
  const unmet: UnmetRequirement[] = [];
  for (const requirement of input.requirements) {
    const result =
      requirement.kind === 'MINIMUM_HOURS'
        ? evaluateHoursRequirement(requirement, modules, input.records, input.asOf)
        : evaluateModuleRequirement(requirement, modules, input.records, input.asOf);
    if ('reason' in result) unmet.push(result);
    else met.push(result);
  }
  const eligible = unmet.length === 0;
  return {
    eligible,
    asOf: input.asOf,
    met,
    unmet,
    nextLapseOn: eligible ? earliest(met.flatMap((requirement) => (requirement.lapsesOn ? [requirement.lapsesOn] : []))) : null,
  };
}
