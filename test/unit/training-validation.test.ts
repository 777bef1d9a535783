import { checkImportRows, completionKey, type ImportLookups } from '../../src/modules/training/training-import.service';
import { checkRequirementInputs } from '../../src/modules/training/training-requirements.service';

const moduleId = (uuid: string) => Buffer.from(`TrainingModule:${uuid}`).toString('base64url');
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('checkRequirementInputs', () => {
  it('accepts modules with alternatives and a refresh, and minimum hours, decoding module IDs', () => {
    const { drafts, problems } = checkRequirementInputs([
      { title: ' Dementia (either) ', kind: 'MODULE', moduleIds: [moduleId(A), moduleId(B)], refreshMonths: 24 },
      { title: 'Hours', kind: 'MINIMUM_HOURS', minimumHours: 12.5, moduleIds: null },
    ]);
    expect(problems).toEqual([]);
    expect(drafts).toEqual([
      { title: 'Dementia (either)', kind: 'MODULE', moduleIds: [A, B], refreshMonths: 24, minimumHours: null },
      { title: 'Hours', kind: 'MINIMUM_HOURS', moduleIds: [], refreshMonths: null, minimumHours: 12.5 },
    ]);
  });

  it('names each bad field by its position', () => {
    const { problems } = checkRequirementInputs([
      { title: 'ok', kind: 'MODULE', moduleIds: [moduleId(A)] },
      { title: 'too many', kind: 'MODULE', moduleIds: Array.from({ length: 21 }, (_, i) => moduleId(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)) },
      { title: 'hours on a module', kind: 'MODULE', moduleIds: [moduleId(A)], minimumHours: 1 },
      { title: 'modules on hours', kind: 'MINIMUM_HOURS', minimumHours: 1, moduleIds: [moduleId(A)] },
      { title: 'negative', kind: 'MINIMUM_HOURS', minimumHours: -1 },
      { title: 'x'.repeat(201), kind: 'MODULE', moduleIds: ['not-an-id'], refreshMonths: 241 },
    ]);
    expect(problems.map((problem) => problem.field)).toEqual([
      'requirements[1].moduleIds',
      'requirements[2].minimumHours',
      'requirements[3].moduleIds',
      'requirements[4].minimumHours',
      'requirements[5].title',
      'requirements[5].moduleIds',
      'requirements[5].refreshMonths',
    ]);
  });

  it('limits how many requirements a role has', () => {
    const many = Array.from({ length: 51 }, () => ({ title: 'Hours', kind: 'MINIMUM_HOURS' as const, minimumHours: 1 }));
    expect(checkRequirementInputs(many).problems).toEqual([{ field: 'requirements', message: expect.any(String) }]);
  });
});

describe('checkImportRows', () => {
  const lookups: ImportLookups = {
    personIdByEmail: new Map([['sam@example.org', 'p1']]),
    moduleByCode: new Map([
      ['AUT', { id: 'm1', active: true }],
      ['OLD', { id: 'm2', active: false }],
    ]),
    alreadyRecorded: new Set([completionKey('p1', 'm1', '2025-01-01')]),
    today: '2026-06-01',
  };

  it('matches emails and codes as typed in spreadsheets', () => {
    const { completions, problems } = checkImportRows(
      [{ workEmail: ' SAM@example.org ', moduleCode: ' aut ', completedOn: '2026-06-01', evidenceReference: '  ' }],
      lookups,
    );
    expect(problems).toEqual([]);
    expect(completions).toEqual([{ personId: 'p1', moduleId: 'm1', completedOn: '2026-06-01', evidenceReference: null }]);
  });

  it('reports every problem of every row and returns nothing to insert for bad rows', () => {
    const { completions, problems } = checkImportRows(
      [
        { workEmail: 'sam@example.org', moduleCode: 'AUT', completedOn: '2025-02-01' },
        { workEmail: 'sam@example.org', moduleCode: 'AUT', completedOn: '2025-02-01' },
        { workEmail: 'sam@example.org', moduleCode: 'AUT', completedOn: '2025-01-01' },
        { workEmail: 'sam@example.org', moduleCode: 'OLD', completedOn: '2026-06-02' },
        { workEmail: 'who@example.org', moduleCode: 'NEW', completedOn: '1989-12-31' },
      ],
      lookups,
    );
    expect(problems.map((problem) => problem.field)).toEqual([
      'records[1]',
      'records[2]',
      'records[3].moduleCode',
      'records[3].completedOn',
      'records[4].workEmail',
      'records[4].moduleCode',
      'records[4].completedOn',
    ]);
    expect(completions).toHaveLength(1);
  });
});
