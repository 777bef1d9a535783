import { addMonths } from '../../src/platform/calendar';
import { eligibilityFor, type ModuleFacts, type RequirementFacts } from '../../src/modules/training/eligibility';

const trainingModule = (id: string, hours: number, validityMonths: number | null): ModuleFacts => ({ id, code: id.toUpperCase(), title: id, hours, validityMonths });
const needs = (id: string, moduleIds: string[], refreshMonths: number | null = null): RequirementFacts => ({
  id,
  title: id,
  kind: 'MODULE',
  moduleIds,
  refreshMonths,
  minimumHours: null,
});
const hours = (id: string, minimumHours: number): RequirementFacts => ({ id, title: id, kind: 'MINIMUM_HOURS', moduleIds: [], refreshMonths: null, minimumHours });

const modules = [
  trainingModule('autism', 3, null),
  trainingModule('dementia-a', 2, 24),
  trainingModule('dementia-b', 4, 36),
  trainingModule('blue-light', 7, 12),
  trainingModule('powers', 2, 36),
];

describe('calendar months', () => {
  it('clamps to the end of shorter months', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-15', 12)).toBe('2027-03-15');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });
});

describe('eligibilityFor', () => {
  it('is eligible when every requirement has a valid completion, and says when that ends', () => {
    const result = eligibilityFor({
      requirements: [needs('autism', ['autism']), needs('blue-light', ['blue-light'])],
      modules,
      records: [
        { moduleId: 'autism', completedOn: '2025-02-01' },
        { moduleId: 'blue-light', completedOn: '2026-03-10' },
      ],
      asOf: '2026-11-26',
    });
    expect(result.eligible).toBe(true);
    expect(result.unmet).toEqual([]);
    expect(result.nextLapseOn).toBe('2027-03-10');
  });

  it('lists a missing module', () => {
    const result = eligibilityFor({ requirements: [needs('autism', ['autism'])], modules, records: [], asOf: '2026-11-26' });
    expect(result).toMatchObject({ eligible: false, nextLapseOn: null });
    expect(result.unmet).toEqual([{ requirementId: 'autism', title: 'autism', reason: 'MISSING', expiredOn: null, hoursShort: null }]);
  });

  it('counts a completion up to the day before its expiry, and not on the day', () => {
    const base = { requirements: [needs('blue-light', ['blue-light'])], modules, records: [{ moduleId: 'blue-light', completedOn: '2025-11-26' }] };
    expect(eligibilityFor({ ...base, asOf: '2026-11-25' }).eligible).toBe(true);
    const onTheDay = eligibilityFor({ ...base, asOf: '2026-11-26' });
    expect(onTheDay.eligible).toBe(false);
    expect(onTheDay.unmet[0]).toMatchObject({ reason: 'EXPIRED', expiredOn: '2026-11-26' });
  });

  it('does not count training completed after the date asked about', () => {
    const result = eligibilityFor({ requirements: [needs('autism', ['autism'])], modules, records: [{ moduleId: 'autism', completedOn: '2026-12-01' }], asOf: '2026-11-26' });
    expect(result.unmet[0].reason).toBe('MISSING');
  });

  it('accepts either of two alternatives and keeps the one valid longest', () => {
    const requirement = needs('dementia', ['dementia-a', 'dementia-b']);
    const onlyB = eligibilityFor({ requirements: [requirement], modules, records: [{ moduleId: 'dementia-b', completedOn: '2025-01-01' }], asOf: '2026-11-26' });
    expect(onlyB.eligible).toBe(true);
    const both = eligibilityFor({
      requirements: [requirement],
      modules,
      records: [
        { moduleId: 'dementia-a', completedOn: '2026-06-01' },
        { moduleId: 'dementia-b', completedOn: '2025-01-01' },
      ],
      asOf: '2026-11-26',
    });
    expect(both.met[0]).toEqual({ requirementId: 'dementia', satisfiedByModuleId: 'dementia-a', lapsesOn: '2028-06-01' });
  });

  it('uses the latest completion when a module was refreshed', () => {
    const result = eligibilityFor({
      requirements: [needs('blue-light', ['blue-light'])],
      modules,
      records: [
        { moduleId: 'blue-light', completedOn: '2024-05-01' },
        { moduleId: 'blue-light', completedOn: '2026-05-01' },
      ],
      asOf: '2026-11-26',
    });
    expect(result.met[0].lapsesOn).toBe('2027-05-01');
  });

  it("applies a requirement's refresh period even to a module that never expires", () => {
    const result = eligibilityFor({
      requirements: [needs('autism-refresh', ['autism'], 24)],
      modules,
      records: [{ moduleId: 'autism', completedOn: '2024-11-26' }],
      asOf: '2026-11-26',
    });
    expect(result.unmet[0]).toMatchObject({ reason: 'EXPIRED', expiredOn: '2026-11-26' });
  });

  it('reports hours short by how many', () => {
    const result = eligibilityFor({
      requirements: [hours('twelve-hours', 12)],
      modules,
      records: [
        { moduleId: 'autism', completedOn: '2026-01-01' },
        { moduleId: 'autism', completedOn: '2026-02-01' },
        { moduleId: 'powers', completedOn: '2026-01-01' },
      ],
      asOf: '2026-11-26',
    });
    expect(result.unmet).toEqual([{ requirementId: 'twelve-hours', title: 'twelve-hours', reason: 'HOURS_SHORT', expiredOn: null, hoursShort: 7 }]);
  });

  it('dates the lapse of an hours requirement to the expiry that takes the total below the minimum', () => {
    const result = eligibilityFor({
      requirements: [hours('ten-hours', 10)],
      modules,
      records: [
        { moduleId: 'autism', completedOn: '2026-01-01' },
        { moduleId: 'blue-light', completedOn: '2026-04-01' },
      ],
      asOf: '2026-11-26',
    });
    expect(result).toMatchObject({ eligible: true, nextLapseOn: '2027-04-01' });
  });

  it('gives another answer when the requirements change', () => {
    const records = [{ moduleId: 'autism', completedOn: '2026-01-01' }];
    expect(eligibilityFor({ requirements: [needs('autism', ['autism'])], modules, records, asOf: '2026-11-26' }).eligible).toBe(true);
    expect(eligibilityFor({ requirements: [needs('autism', ['autism']), needs('powers', ['powers'])], modules, records, asOf: '2026-11-26' }).eligible).toBe(false);
  });

  it('is eligible when a role has no requirements', () => {
    expect(eligibilityFor({ requirements: [], modules, records: [], asOf: '2026-11-26' })).toMatchObject({ eligible: true, nextLapseOn: null });
  });
});
