import { seedLargeOrganisation } from '../seeds';
import { addDays, addMonths, ukDateOf } from '../src/platform/calendar';
import {
  FIRE,
  POLICE,
  SOUTHERN_HEALTH,
  asTenant,
  demoIds,
  expectError,
  ownerClient,
  toGlobalId,
  usePlatform,
  personas,
  type Caller,
  type GraphQLResponse,
} from './support/platform';

/*
 * The training API end to end, as seeded users over HTTP. Tests share one database with other
 * files running at the same time, so every module, scheme and person here is the test's own
 * (unique codes, schemes created as the owner, people created through the API).
 */

const { platform } = usePlatform();
const policeAdmin: Caller = personas.police.admin; // hc-admin-1, Sam Patel
const fireAdmin: Caller = personas.fire.admin; // hfrs-admin-1
const policeStaff: Caller = personas.police.staff;

const run = Math.random().toString(36).slice(2, 8).toUpperCase();
let sequence = 0;
/** A module code no other test (or test run) uses. */
const code = (name: string) => `${name}-${run}${++sequence}`;
const today = ukDateOf(new Date());

function data<T = any>(response: GraphQLResponse): T {
  expect(response.errors).toBeUndefined();
  return response.data as T;
}

function problemFields(response: GraphQLResponse): string[] {
  const error = expectError(response, 'BAD_USER_INPUT');
  return ((error.extensions.problems ?? []) as Array<{ field: string }>).map((problem) => problem.field);
}

const MODULE_FIELDS = 'id code title description hours validityMonths active providerName provider { slug }';
const CREATE_MODULE = `mutation($input: CreateTrainingModuleInput!) { createTrainingModule(input: $input) { trainingModule { ${MODULE_FIELDS} } } }`;
const UPDATE_MODULE = `mutation($input: UpdateTrainingModuleInput!) { updateTrainingModule(input: $input) { trainingModule { ${MODULE_FIELDS} } } }`;
const SET_REQUIREMENTS = `mutation($input: SetTrainingRequirementsInput!) {
  setTrainingRequirements(input: $input) {
    scheme { id name }
    requirements { id title kind roleCode refreshMonths minimumHours modules { code } }
  }
}`;
const RECORD = `mutation($input: RecordTrainingInput!) {
  recordTraining(input: $input) { trainingRecord { id completedOn expiresOn evidenceReference verifiedAt verifiedBy { displayName } module { code } person { displayName } } }
}`;
const IMPORT = `mutation($input: ImportTrainingRecordsInput!) {
  importTrainingRecords(input: $input) { importedCount trainingRecords { id completedOn module { code } person { workEmail } } }
}`;
const ELIGIBILITY_FIELDS = `eligible asOf nextLapseOn
  unmet { title reason expiredOn hoursShort requirement { id title } }
  met { lapsesOn requirement { title } satisfiedBy { code } }`;
const PERSON_ELIGIBILITY = `query($id: ID!, $scheme: ID!, $role: SchemeRole!, $asOf: LocalDate) {
  node(id: $id) { ... on Person { eligibility(schemeId: $scheme, role: $role, asOf: $asOf) { ${ELIGIBILITY_FIELDS} } } }
}`;

interface CreatedModule {
  id: string;
  code: string;
}

async function createModule(caller: Caller, input: Record<string, unknown>): Promise<CreatedModule> {
  const response = await platform.graphql(caller, CREATE_MODULE, { input: { title: `Module ${input.code}`, hours: 1, ...input } });
  return data(response).createTrainingModule.trainingModule;
}

/** A scheme of the test's own, written as the owner, so seeded schemes' requirements stay untouched. */
async function createScheme(slug: string, name: string): Promise<{ id: string; globalId: string }> {
  const owner = await ownerClient();
  try {
    const result = await asTenant(owner, demoIds.organisation(slug), () =>
      owner.query(`insert into scheme (tenant_id, name, purpose, status) values ($1, $2, 'Training tests', 'ACTIVE') returning id`, [
        demoIds.organisation(slug),
        name,
      ]),
    );
    const id = result.rows[0].id as string;
    return { id, globalId: toGlobalId('Scheme', id) };
  } finally {
    await owner.end();
  }
}

interface CreatedPerson {
  id: string;
  caller: Caller;
  workEmail: string;
}

/** A person of the test's own with a subject, so a token can act as them. */
async function createPerson(admin: Caller, name: string, workEmail = `${name.toLowerCase()}.${run.toLowerCase()}${++sequence}@example.org`): Promise<CreatedPerson> {
  const subject = `training-${name.toLowerCase()}-${run}-${++sequence}`;
  const response = await platform.graphql(
    admin,
    `mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } } }`,
    { input: { displayName: name, workEmail, employmentType: 'OTHER', subject, roles: ['STAFF'] } },
  );
  return { id: data(response).createPerson.person.id, caller: { organisation: admin.organisation, roles: ['STAFF'], subject }, workEmail };
}

async function record(caller: Caller, input: Record<string, unknown>): Promise<GraphQLResponse> {
  return platform.graphql(caller, RECORD, { input: { verified: false, ...input } });
}

async function eligibility(caller: Caller, personId: string, schemeId: string, asOf?: string, role = 'MILO') {
  const response = await platform.graphql(caller, PERSON_ELIGIBILITY, { id: personId, scheme: schemeId, role, asOf });
  return data(response).node.eligibility;
}

/** Rows behind the API's back, as the owner in a tenant's context. */
async function ownerQuery<T = any>(slug: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const owner = await ownerClient();
  try {
    return (await asTenant(owner, demoIds.organisation(slug), () => owner.query(sql, params))).rows as T[];
  } finally {
    await owner.end();
  }
}

const decodeId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

describe('the training catalogue', () => {
  it('lets an admin add and change modules, which every member can read, audited', async () => {
    const moduleCode = code('CAT');
    const provider = toGlobalId('Organisation', demoIds.organisation(SOUTHERN_HEALTH));
    const created = await createModule(policeAdmin, {
      code: moduleCode,
      title: '  Dementia awareness  ',
      description: 'Half a day with Southern Health',
      providerOrganisationId: provider,
      hours: 3.5,
      validityMonths: 24,
    });
    expect(created).toMatchObject({ code: moduleCode, title: 'Dementia awareness', hours: 3.5, validityMonths: 24, active: true, provider: { slug: SOUTHERN_HEALTH } });

    const listed = data(await platform.graphql(policeStaff, `{ trainingModules { code title provider { name } } }`)).trainingModules;
    expect(listed).toContainEqual({ code: moduleCode, title: 'Dementia awareness', provider: { name: 'Southern Health NHS Foundation Trust' } });

    const updated = data(
      await platform.graphql(policeAdmin, UPDATE_MODULE, {
        input: { id: created.id, title: 'Dementia awareness (refreshed)', providerOrganisationId: null, providerName: 'Mind', validityMonths: null, active: false },
      }),
    ).updateTrainingModule.trainingModule;
    expect(updated).toMatchObject({ code: moduleCode, title: 'Dementia awareness (refreshed)', providerName: 'Mind', provider: null, validityMonths: null, active: false, hours: 3.5 });

    const active = data(await platform.graphql(policeStaff, `{ trainingModules { code } }`)).trainingModules.map((m: any) => m.code);
    const all = data(await platform.graphql(policeStaff, `{ trainingModules(includeInactive: true) { code } }`)).trainingModules.map((m: any) => m.code);
    expect(active).not.toContain(moduleCode);
    expect(all).toContain(moduleCode);
    expect(all).toEqual([...all].sort());

    const node = data(await platform.graphql(policeStaff, `query($id: ID!) { node(id: $id) { ... on TrainingModule { code active } } }`, { id: created.id }));
    expect(node.node).toEqual({ code: moduleCode, active: false });

    const events = await ownerQuery(POLICE, `select action, details from audit_event where entity_id = $1 order by occurred_at, action`, [decodeId(created.id)]);
    expect(events.map((event) => event.action)).toEqual(['TRAINING_MODULE_CREATED', 'TRAINING_MODULE_UPDATED']);
    expect(events[1].details.before).toMatchObject({ title: 'Dementia awareness', validityMonths: 24, active: true });
    expect(events[1].details.after).toMatchObject({ title: 'Dementia awareness (refreshed)', validityMonths: null, active: false, providerName: 'Mind' });
  });

  it('refuses a duplicate code with CONFLICT and bad values with per-field problems', async () => {
    const moduleCode = code('DUP');
    await createModule(policeAdmin, { code: moduleCode });
    expectError(await platform.graphql(policeAdmin, CREATE_MODULE, { input: { code: moduleCode, title: 'Again', hours: 1 } }), 'CONFLICT');

    const bad = await platform.graphql(policeAdmin, CREATE_MODULE, { input: { code: 'lower case', title: 'X', hours: 1001, validityMonths: 0 } });
    expect(problemFields(bad).sort()).toEqual(['code', 'hours', 'validityMonths']);
    const person = toGlobalId('Person', demoIds.person(POLICE, 'hc-staff-1'));
    expect(problemFields(await platform.graphql(policeAdmin, CREATE_MODULE, { input: { code: code('PRV'), title: 'X', hours: 1, providerOrganisationId: person } }))).toEqual([
      'providerOrganisationId',
    ]);

    const other = await createModule(policeAdmin, { code: code('REN') });
    expectError(await platform.graphql(policeAdmin, UPDATE_MODULE, { input: { id: other.id, code: moduleCode } }), 'CONFLICT');
  });
});

describe('requirements and eligibility', () => {
  let scheme: { id: string; globalId: string };
  let autism: CreatedModule;
  let dementiaA: CreatedModule;
  let dementiaB: CreatedModule;
  let blueLight: CreatedModule;
  let person: CreatedPerson;
  // Blue Light is valid for 12 months: completed a year ago, it expires today.
  const blueLightCompleted = addMonths(today, -12);
  const blueLightExpires = addMonths(blueLightCompleted, 12);
  const dayBefore = addDays(blueLightExpires, -1);

  const fullSet = () => [
    { title: '1 Autism awareness', kind: 'MODULE', moduleIds: [autism.id] },
    { title: '2 Dementia awareness (either course)', kind: 'MODULE', moduleIds: [dementiaA.id, dementiaB.id] },
    { title: '3 Mind Blue Light, refreshed yearly', kind: 'MODULE', moduleIds: [blueLight.id], refreshMonths: 12 },
    { title: '4 At least 12 hours', kind: 'MINIMUM_HOURS', minimumHours: 12 },
  ];

  beforeAll(async () => {
    scheme = await createScheme(POLICE, `Eligibility scheme ${run}`);
    autism = await createModule(policeAdmin, { code: code('AUT'), title: 'Autism awareness', hours: 3 });
    dementiaA = await createModule(policeAdmin, { code: code('DEMA'), title: 'Dementia awareness A', hours: 2, validityMonths: 24 });
    dementiaB = await createModule(policeAdmin, { code: code('DEMB'), title: 'Dementia awareness B', hours: 4, validityMonths: 36 });
    blueLight = await createModule(policeAdmin, { code: code('BLUE'), title: 'Mind Blue Light', providerName: 'Mind', hours: 7, validityMonths: 12 });
    person = await createPerson(policeAdmin, 'Eligible');
  });

  it('lets an admin configure requirements, which any member can read', async () => {
    const set = data(await platform.graphql(policeAdmin, SET_REQUIREMENTS, { input: { schemeId: scheme.globalId, role: 'MILO', requirements: fullSet() } }));
    expect(set.setTrainingRequirements.scheme.id).toBe(scheme.globalId);
    expect(set.setTrainingRequirements.requirements).toEqual([
      expect.objectContaining({ title: '1 Autism awareness', kind: 'MODULE', roleCode: 'MILO', modules: [{ code: autism.code }], minimumHours: null }),
      expect.objectContaining({ title: '2 Dementia awareness (either course)', modules: [{ code: dementiaA.code }, { code: dementiaB.code }] }),
      expect.objectContaining({ title: '3 Mind Blue Light, refreshed yearly', refreshMonths: 12, modules: [{ code: blueLight.code }] }),
      expect.objectContaining({ title: '4 At least 12 hours', kind: 'MINIMUM_HOURS', minimumHours: 12, modules: [] }),
    ]);

    const read = data(
      await platform.graphql(person.caller, `query($id: ID!) { node(id: $id) { ... on Scheme { milo: trainingRequirements(role: MILO) { id title modules { code } } lead: trainingRequirements(role: LEAD_MILO) { id } } } }`, {
        id: scheme.globalId,
      }),
    ).node;
    expect(read.milo.map((requirement: any) => requirement.title)).toEqual(fullSet().map((requirement) => requirement.title));
    expect(read.lead).toEqual([]);
    const requirementNode = data(await platform.graphql(person.caller, `query($id: ID!) { node(id: $id) { ... on TrainingRequirement { title } } }`, { id: read.milo[0].id }));
    expect(requirementNode.node).toEqual({ title: '1 Autism awareness' });
  });

  it('makes a person eligible exactly when their records meet the requirements, and lapses them on the expiry day', async () => {
    const before = await eligibility(policeAdmin, person.id, scheme.globalId, dayBefore);
    expect(before).toMatchObject({ eligible: false, asOf: dayBefore, nextLapseOn: null, met: [] });
    expect(before.unmet.map((unmet: any) => [unmet.requirement.title, unmet.reason, unmet.hoursShort])).toEqual([
      ['1 Autism awareness', 'MISSING', null],
      ['2 Dementia awareness (either course)', 'MISSING', null],
      ['3 Mind Blue Light, refreshed yearly', 'MISSING', null],
      ['4 At least 12 hours', 'HOURS_SHORT', 12],
    ]);

    data(await record(policeAdmin, { personId: person.id, moduleId: autism.id, completedOn: addDays(today, -400), evidenceReference: 'CERT-1', verified: true }));
    data(await record(policeAdmin, { personId: person.id, moduleId: dementiaB.id, completedOn: addMonths(today, -2) }));
    const almost = await eligibility(policeAdmin, person.id, scheme.globalId, dayBefore);
    expect(almost.eligible).toBe(false);
    expect(almost.unmet.map((unmet: any) => [unmet.title, unmet.reason, unmet.hoursShort])).toEqual([
      ['3 Mind Blue Light, refreshed yearly', 'MISSING', null],
      ['4 At least 12 hours', 'HOURS_SHORT', 5],
    ]);
    // Either dementia course meets the "one of" requirement.
    expect(almost.met).toContainEqual({ lapsesOn: addMonths(addMonths(today, -2), 36), requirement: { title: '2 Dementia awareness (either course)' }, satisfiedBy: { code: dementiaB.code } });

    data(await record(policeAdmin, { personId: person.id, moduleId: blueLight.id, completedOn: blueLightCompleted }));
    const eligible = await eligibility(policeAdmin, person.id, scheme.globalId, dayBefore);
    expect(eligible).toMatchObject({ eligible: true, unmet: [], nextLapseOn: blueLightExpires });
    expect(eligible.met).toHaveLength(4);

    // On the expiry day the Blue Light completion no longer counts, nor do its hours.
    const onTheDay = await eligibility(policeAdmin, person.id, scheme.globalId, blueLightExpires);
    expect(onTheDay).toMatchObject({ eligible: false, nextLapseOn: null });
    expect(onTheDay.unmet.map((unmet: any) => [unmet.title, unmet.reason, unmet.expiredOn, unmet.hoursShort])).toEqual([
      ['3 Mind Blue Light, refreshed yearly', 'EXPIRED', blueLightExpires, null],
      ['4 At least 12 hours', 'HOURS_SHORT', null, 5],
    ]);
    // Without asOf, eligibility is as of today: the day it expired.
    expect((await eligibility(policeAdmin, person.id, scheme.globalId)).eligible).toBe(blueLightExpires > today);
  });

  it('shows a person their own records and eligibility, with expiry and verification', async () => {
    const own = data(
      await platform.graphql(
        person.caller,
        `query($scheme: ID!, $asOf: LocalDate) { viewer { person { trainingRecords { completedOn expiresOn evidenceReference verifiedAt verifiedBy { displayName } module { code } }
           eligibility(schemeId: $scheme, role: MILO, asOf: $asOf) { eligible } } } }`,
        { scheme: scheme.globalId, asOf: dayBefore },
      ),
    ).viewer.person;
    expect(own.eligibility).toEqual({ eligible: true });
    const byCode = Object.fromEntries(own.trainingRecords.map((record: any) => [record.module.code, record]));
    expect(byCode[autism.code]).toMatchObject({ expiresOn: null, evidenceReference: 'CERT-1', verifiedBy: { displayName: 'Sam Patel' } });
    expect(byCode[autism.code].verifiedAt).toEqual(expect.any(String));
    expect(byCode[blueLight.code]).toMatchObject({ completedOn: blueLightCompleted, expiresOn: blueLightExpires, verifiedBy: null, verifiedAt: null });
    expect(own.trainingRecords.map((record: any) => record.completedOn)).toEqual([...own.trainingRecords.map((record: any) => record.completedOn)].sort());
  });

  it('changes eligibility for everyone at once when requirements change, and audits the change', async () => {
    expect((await eligibility(policeAdmin, person.id, scheme.globalId, blueLightExpires)).eligible).toBe(false);
    const autismOnly = [{ title: '1 Autism awareness', kind: 'MODULE', moduleIds: [autism.id] }];
    data(await platform.graphql(policeAdmin, SET_REQUIREMENTS, { input: { schemeId: scheme.globalId, role: 'MILO', requirements: autismOnly } }));
    expect(await eligibility(policeAdmin, person.id, scheme.globalId, blueLightExpires)).toMatchObject({ eligible: true, nextLapseOn: null });

    const events = await ownerQuery(
      POLICE,
      `select action, entity_type, actor_person_id, details from audit_event where entity_id = $1 and action = 'TRAINING_REQUIREMENTS_REPLACED' order by occurred_at`,
      [scheme.id],
    );
    expect(events).toHaveLength(2);
    const last = events[1];
    expect(last).toMatchObject({ entity_type: 'Scheme', actor_person_id: demoIds.person(POLICE, 'hc-admin-1') });
    expect(last.details.role).toBe('MILO');
    expect(last.details.before.map((requirement: any) => requirement.title)).toEqual(fullSet().map((requirement) => requirement.title));
    expect(last.details.before[1].modules).toEqual([dementiaA.code, dementiaB.code]);
    expect(last.details.after).toEqual([{ title: '1 Autism awareness', kind: 'MODULE', modules: [autism.code], refreshMonths: null, minimumHours: null }]);

    // A change of a module's validity applies at once too: Autism now lasts a year, and the completion was 400 days ago.
    data(await platform.graphql(policeAdmin, UPDATE_MODULE, { input: { id: autism.id, validityMonths: 12 } }));
    const expired = await eligibility(policeAdmin, person.id, scheme.globalId, dayBefore);
    expect(expired.unmet).toEqual([expect.objectContaining({ reason: 'EXPIRED', expiredOn: addMonths(addDays(today, -400), 12) })]);
    data(await platform.graphql(policeAdmin, UPDATE_MODULE, { input: { id: autism.id, validityMonths: null } }));
    data(await platform.graphql(policeAdmin, SET_REQUIREMENTS, { input: { schemeId: scheme.globalId, role: 'MILO', requirements: fullSet() } }));
  });

  it('gives another answer for the same person data in another organisation with other requirements', async () => {
    // The same person, modules (by code) and completions in the fire service, whose scheme asks for less.
    const fireScheme = await createScheme(FIRE, `Fire eligibility scheme ${run}`);
    const fireAutism = await createModule(fireAdmin, { code: autism.code, title: 'Autism awareness', hours: 3 });
    const fireBlueLight = await createModule(fireAdmin, { code: blueLight.code, title: 'Mind Blue Light', hours: 7, validityMonths: 12 });
    const fireDementia = await createModule(fireAdmin, { code: dementiaB.code, title: 'Dementia awareness B', hours: 4, validityMonths: 36 });
    const twin = await createPerson(fireAdmin, 'Eligible', person.workEmail);
    data(
      await platform.graphql(fireAdmin, SET_REQUIREMENTS, {
        input: {
          schemeId: fireScheme.globalId,
          role: 'MILO',
          requirements: [
            { title: 'Autism awareness', kind: 'MODULE', moduleIds: [fireAutism.id] },
            { title: 'Six hours of training', kind: 'MINIMUM_HOURS', minimumHours: 6 },
          ],
        },
      }),
    );
    const imported = data(
      await platform.graphql(fireAdmin, IMPORT, {
        input: {
          records: [
            { workEmail: person.workEmail.toUpperCase(), moduleCode: fireAutism.code, completedOn: addDays(today, -400) },
            { workEmail: person.workEmail, moduleCode: fireDementia.code.toLowerCase(), completedOn: addMonths(today, -2) },
            { workEmail: person.workEmail, moduleCode: fireBlueLight.code, completedOn: blueLightCompleted },
          ],
        },
      }),
    );
    expect(imported.importTrainingRecords.importedCount).toBe(3);

    const police = await eligibility(policeAdmin, person.id, scheme.globalId, blueLightExpires);
    const fire = await eligibility(fireAdmin, twin.id, fireScheme.globalId, blueLightExpires);
    expect(police.eligible).toBe(false);
    expect(fire).toMatchObject({ eligible: true, unmet: [] });
    // And each organisation's scheme is unknown to the other.
    expectError(await platform.graphql(fireAdmin, PERSON_ELIGIBILITY, { id: twin.id, scheme: scheme.globalId, role: 'MILO' }), 'NOT_FOUND');
  });

  it('refuses invalid requirements with a problem per field and changes nothing', async () => {
    const fireModule = await createModule(fireAdmin, { code: code('FIREONLY') });
    const response = await platform.graphql(policeAdmin, SET_REQUIREMENTS, {
      input: {
        schemeId: scheme.globalId,
        role: 'MILO',
        requirements: [
          { title: 'No modules', kind: 'MODULE', moduleIds: [] },
          { title: 'Zero hours', kind: 'MINIMUM_HOURS', minimumHours: 0 },
          { title: 'Module with hours', kind: 'MODULE', moduleIds: [autism.id], minimumHours: 3 },
          { title: 'Another organisation\'s module', kind: 'MODULE', moduleIds: [fireModule.id] },
          { title: 'Hours with a refresh', kind: 'MINIMUM_HOURS', minimumHours: 3, refreshMonths: 12, moduleIds: [autism.id] },
          { title: '   ', kind: 'MODULE', moduleIds: [autism.id, autism.id], refreshMonths: 0 },
          { title: 'Not a module ID', kind: 'MODULE', moduleIds: [scheme.globalId] },
        ],
      },
    });
    expect(problemFields(response).sort()).toEqual(
      [
        'requirements[0].moduleIds',
        'requirements[1].minimumHours',
        'requirements[2].minimumHours',
        'requirements[3].moduleIds',
        'requirements[4].moduleIds',
        'requirements[4].refreshMonths',
        'requirements[5].moduleIds',
        'requirements[5].refreshMonths',
        'requirements[5].title',
        'requirements[6].moduleIds',
      ].sort(),
    );
    const read = data(await platform.graphql(policeAdmin, `query($id: ID!) { node(id: $id) { ... on Scheme { trainingRequirements(role: MILO) { title } } } }`, { id: scheme.globalId }));
    expect(read.node.trainingRequirements).toHaveLength(4);

    const missing = toGlobalId('Scheme', '00000000-0000-4000-8000-000000000000');
    expectError(await platform.graphql(policeAdmin, SET_REQUIREMENTS, { input: { schemeId: missing, role: 'MILO', requirements: [] } }), 'NOT_FOUND');
  });

  it('keeps one whole set when two admins replace the requirements at the same moment', async () => {
    const contested = await createScheme(POLICE, `Contested scheme ${run}`);
    const setOf = (titles: string[]) => ({
      input: { schemeId: contested.globalId, role: 'LEAD_MILO', requirements: titles.map((title) => ({ title, kind: 'MODULE', moduleIds: [autism.id] })) },
    });
    data(await platform.graphql(policeAdmin, SET_REQUIREMENTS, setOf(['Old'])));
    // Hold the current rows so both replacements are in flight before either can delete them.
    const owner = await ownerClient();
    try {
      await owner.query('begin');
      await owner.query(`select set_config('app.tenant_id', $1, true)`, [demoIds.organisation(POLICE)]);
      await owner.query(`select id from training_requirement where scheme_id = $1 for update`, [contested.id]);
      const both = Promise.all([
        platform.graphql(policeAdmin, SET_REQUIREMENTS, setOf(['First a', 'First b'])),
        platform.graphql(policeAdmin, SET_REQUIREMENTS, setOf(['Second a', 'Second b', 'Second c'])),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await owner.query('commit');
      const [first, second] = await both;
      data(first);
      data(second);
    } finally {
      await owner.end();
    }
    const titles = (await ownerQuery(POLICE, `select title from training_requirement where scheme_id = $1 order by title`, [contested.id])).map((row) => row.title);
    expect([['First a', 'First b'], ['Second a', 'Second b', 'Second c']]).toContainEqual(titles);
  });

  describe('access', () => {
    let other: CreatedPerson;
    let otherRecordId: string;

    beforeAll(async () => {
      other = await createPerson(policeAdmin, 'Other');
      otherRecordId = data(await record(policeAdmin, { personId: other.id, moduleId: autism.id, completedOn: addDays(today, -10) })).recordTraining.trainingRecord.id;
    });

    it('refuses every training mutation to staff', async () => {
      const attempts: Array<[string, Record<string, unknown>]> = [
        [CREATE_MODULE, { input: { code: code('STAFF'), title: 'X', hours: 1 } }],
        [UPDATE_MODULE, { input: { id: autism.id, title: 'Hijacked' } }],
        [SET_REQUIREMENTS, { input: { schemeId: scheme.globalId, role: 'MILO', requirements: [] } }],
        [RECORD, { input: { personId: person.id, moduleId: autism.id, completedOn: today } }],
        [IMPORT, { input: { records: [{ workEmail: person.workEmail, moduleCode: autism.code, completedOn: today }] } }],
      ];
      for (const [mutation, variables] of attempts) {
        const response = await platform.graphql(person.caller, mutation, variables);
        expectError(response, 'FORBIDDEN');
        expect(response.data).toBeNull();
      }
      const requirements = await ownerQuery(POLICE, `select count(*)::int as n from training_requirement where scheme_id = $1 and role_code = 'MILO'`, [scheme.id]);
      expect(requirements[0].n).toBe(4);
      const records = await ownerQuery(POLICE, `select count(*)::int as n from training_record where person_id = $1`, [decodeId(person.id)]);
      expect(records[0].n).toBe(3);
    });

    it("refuses staff another person's records and eligibility, however they reach the person", async () => {
      const verifier = await platform.graphql(person.caller, `{ viewer { person { trainingRecords { verifiedBy { displayName trainingRecords { id } } } } } }`);
      expectError(verifier, 'FORBIDDEN');
      const eligibilityOfVerifier = await platform.graphql(
        person.caller,
        `query($scheme: ID!) { viewer { person { trainingRecords { verifiedBy { eligibility(schemeId: $scheme, role: MILO) { eligible } } } } } }`,
        { scheme: scheme.globalId },
      );
      expectError(eligibilityOfVerifier, 'FORBIDDEN');
      expectError(await platform.graphql(person.caller, `query($id: ID!) { node(id: $id) { ... on TrainingRecord { completedOn } } }`, { id: otherRecordId }), 'FORBIDDEN');
      // The records' own person reads it, as does an admin.
      expect(data(await platform.graphql(other.caller, `query($id: ID!) { node(id: $id) { ... on TrainingRecord { module { code } } } }`, { id: otherRecordId })).node).toEqual({
        module: { code: autism.code },
      });
      expect(data(await platform.graphql(policeAdmin, `query($id: ID!) { node(id: $id) { ... on TrainingRecord { person { id } } } }`, { id: otherRecordId })).node).toEqual({
        person: { id: other.id },
      });
    });

    it("keeps another organisation's admins out of police configuration, records and people", async () => {
      const policeRequirement = data(await platform.graphql(policeAdmin, `query($id: ID!) { node(id: $id) { ... on Scheme { trainingRequirements(role: MILO) { id } } } }`, { id: scheme.globalId }))
        .node.trainingRequirements[0].id;
      for (const id of [autism.id, policeRequirement, otherRecordId, scheme.globalId]) {
        const response = await platform.graphql(fireAdmin, `query($id: ID!) { node(id: $id) { id } }`, { id });
        expect(response.errors).toBeUndefined();
        expect(response.data!.node).toBeNull();
      }
      const fireCatalogue = data(await platform.graphql(fireAdmin, `{ trainingModules(includeInactive: true) { id } }`)).trainingModules.map((m: any) => m.id);
      expect(fireCatalogue).not.toContain(autism.id);

      const fireScheme = toGlobalId('Scheme', demoIds.scheme(FIRE));
      const firePerson = toGlobalId('Person', demoIds.person(FIRE, 'hfrs-staff-1'));
      const fireModule = await createModule(fireAdmin, { code: code('FIREX') });
      expectError(await platform.graphql(fireAdmin, SET_REQUIREMENTS, { input: { schemeId: scheme.globalId, role: 'MILO', requirements: [] } }), 'NOT_FOUND');
      expect(
        problemFields(
          await platform.graphql(fireAdmin, SET_REQUIREMENTS, {
            input: { schemeId: fireScheme, role: 'LEAD_MILO', requirements: [{ title: 'Police autism', kind: 'MODULE', moduleIds: [autism.id] }] },
          }),
        ),
      ).toEqual(['requirements[0].moduleIds']);
      expectError(await platform.graphql(fireAdmin, UPDATE_MODULE, { input: { id: autism.id, title: 'Hijacked' } }), 'NOT_FOUND');
      expectError(await record(fireAdmin, { personId: other.id, moduleId: fireModule.id, completedOn: today }), 'NOT_FOUND');
      expectError(await record(fireAdmin, { personId: firePerson, moduleId: autism.id, completedOn: today }), 'NOT_FOUND');
      expect(
        // Dementia A's code is only in the police catalogue (the fire service has the other codes too).
        problemFields(await platform.graphql(fireAdmin, IMPORT, { input: { records: [{ workEmail: other.workEmail, moduleCode: dementiaA.code, completedOn: today }] } })),
      ).toEqual(['records[0].workEmail', 'records[0].moduleCode']);
      expectError(
        await platform.graphql(fireAdmin, `query($id: ID!, $scheme: ID!) { node(id: $id) { ... on Person { eligibility(schemeId: $scheme, role: MILO) { eligible } } } }`, {
          id: firePerson,
          scheme: scheme.globalId,
        }),
        'NOT_FOUND',
      );

      // Nothing of the police organisation changed.
      const module = await ownerQuery(POLICE, `select title from training_module where id = $1`, [decodeId(autism.id)]);
      expect(module[0].title).toBe('Autism awareness');
      const records = await ownerQuery(POLICE, `select count(*)::int as n from training_record where person_id = $1`, [decodeId(other.id)]);
      expect(records[0].n).toBe(1);
      const fireRecords = await ownerQuery(FIRE, `select count(*)::int as n from training_record where module_id = $1`, [decodeId(fireModule.id)]);
      expect(fireRecords[0].n).toBe(0);
    });
  });
});

describe('recording training', () => {
  let module: CreatedModule;
  let person: CreatedPerson;
  beforeAll(async () => {
    module = await createModule(policeAdmin, { code: code('REC'), validityMonths: 6 });
    person = await createPerson(policeAdmin, 'Recorded');
  });

  it('records a verified completion with its expiry, audited', async () => {
    const completedOn = addDays(today, -3);
    const created = data(await record(policeAdmin, { personId: person.id, moduleId: module.id, completedOn, evidenceReference: ' CERT-42 ', verified: true })).recordTraining
      .trainingRecord;
    expect(created).toMatchObject({
      completedOn,
      expiresOn: addMonths(completedOn, 6),
      evidenceReference: 'CERT-42',
      verifiedBy: { displayName: 'Sam Patel' },
      module: { code: module.code },
      person: { displayName: 'Recorded' },
    });
    const events = await ownerQuery(POLICE, `select details from audit_event where action = 'TRAINING_RECORDED' and entity_id = $1`, [decodeId(created.id)]);
    expect(events[0].details).toEqual({ moduleCode: module.code, completedOn, verified: true });
    expectError(await record(policeAdmin, { personId: person.id, moduleId: module.id, completedOn }), 'CONFLICT');
  });

  it('refuses future, ancient and malformed dates', async () => {
    expect(problemFields(await record(policeAdmin, { personId: person.id, moduleId: module.id, completedOn: addDays(today, 1) }))).toEqual(['completedOn']);
    expect(problemFields(await record(policeAdmin, { personId: person.id, moduleId: module.id, completedOn: '1989-12-31' }))).toEqual(['completedOn']);
    for (const malformed of ['2026-02-30', '2026-1-5', '05/01/2026', 'yesterday']) {
      expectError(await record(policeAdmin, { personId: person.id, moduleId: module.id, completedOn: malformed }), 'BAD_USER_INPUT');
    }
    expectError(await platform.graphql(policeAdmin, PERSON_ELIGIBILITY, { id: person.id, scheme: toGlobalId('Scheme', demoIds.scheme(POLICE)), role: 'MILO', asOf: '2026-13-01' }), 'BAD_USER_INPUT');
    expectError(
      await platform.graphql(policeAdmin, IMPORT, { input: { records: [{ workEmail: person.workEmail, moduleCode: module.code, completedOn: '2026-02-29' }] } }),
      'BAD_USER_INPUT',
    );
    const records = await ownerQuery(POLICE, `select count(*)::int as n from training_record where person_id = $1`, [decodeId(person.id)]);
    expect(records[0].n).toBe(1);
  });

  it('refuses an inactive module and IDs of the wrong type', async () => {
    const retired = await createModule(policeAdmin, { code: code('OLD'), active: false });
    expect(problemFields(await record(policeAdmin, { personId: person.id, moduleId: retired.id, completedOn: today }))).toEqual(['moduleId']);
    expect(problemFields(await record(policeAdmin, { personId: module.id, moduleId: module.id, completedOn: today }))).toEqual(['personId']);
  });
});

describe('importing training records', () => {
  let first: CreatedPerson;
  let second: CreatedPerson;
  let module: CreatedModule;
  let other: CreatedModule;
  let retired: CreatedModule;

  beforeAll(async () => {
    first = await createPerson(policeAdmin, 'Importfirst');
    second = await createPerson(policeAdmin, 'Importsecond');
    module = await createModule(policeAdmin, { code: code('IMP'), validityMonths: 12 });
    other = await createModule(policeAdmin, { code: code('IMQ') });
    retired = await createModule(policeAdmin, { code: code('IMR'), active: false });
    data(await record(policeAdmin, { personId: second.id, moduleId: other.id, completedOn: '2025-06-01' }));
  });

  const countRecords = async () =>
    (await ownerQuery(POLICE, `select count(*)::int as n from training_record where person_id = any($1::uuid[])`, [[decodeId(first.id), decodeId(second.id)]]))[0].n;

  it('imports nothing when any row is bad, and names every bad field of every bad row', async () => {
    const response = await platform.graphql(policeAdmin, IMPORT, {
      input: {
        records: [
          { workEmail: first.workEmail, moduleCode: module.code, completedOn: '2025-01-10', evidenceReference: 'OK-1' },
          { workEmail: `nobody.${run}@example.org`, moduleCode: module.code, completedOn: '2025-01-10' },
          { workEmail: first.workEmail, moduleCode: 'NO-SUCH-CODE', completedOn: '2025-01-10' },
          { workEmail: first.workEmail, moduleCode: retired.code, completedOn: '2025-01-10' },
          { workEmail: first.workEmail, moduleCode: other.code, completedOn: addDays(today, 1) },
          { workEmail: first.workEmail.toUpperCase(), moduleCode: module.code.toLowerCase(), completedOn: '2025-01-10' },
          { workEmail: second.workEmail, moduleCode: other.code, completedOn: '2025-06-01' },
          { workEmail: `nobody.${run}@example.org`, moduleCode: 'NO-SUCH-CODE', completedOn: '1980-01-01', evidenceReference: 'x'.repeat(501) },
          { workEmail: second.workEmail, moduleCode: module.code, completedOn: '2025-02-01' },
        ],
      },
    });
    const error = expectError(response, 'BAD_USER_INPUT');
    expect(error.message).toMatch(/^7 of 9 rows/);
    expect(error.extensions.problems).toEqual([
      { field: 'records[1].workEmail', message: expect.any(String) },
      { field: 'records[2].moduleCode', message: expect.stringMatching(/no training module/i) },
      { field: 'records[3].moduleCode', message: 'The module is inactive' },
      { field: 'records[4].completedOn', message: 'Must not be in the future' },
      { field: 'records[5]', message: expect.stringContaining('records[0]') },
      { field: 'records[6]', message: 'Already recorded for this person' },
      { field: 'records[7].workEmail', message: expect.any(String) },
      { field: 'records[7].moduleCode', message: expect.any(String) },
      { field: 'records[7].completedOn', message: 'Must not be before 1990' },
      { field: 'records[7].evidenceReference', message: expect.any(String) },
    ]);
    expect(await countRecords()).toBe(1);
  });

  it('imports good rows in one go, audited with the count', async () => {
    const response = await platform.graphql(policeAdmin, IMPORT, {
      input: {
        records: [
          { workEmail: ` ${first.workEmail.toUpperCase()} `, moduleCode: module.code.toLowerCase(), completedOn: '2025-01-10', evidenceReference: 'SHEET-1' },
          { workEmail: first.workEmail, moduleCode: other.code, completedOn: '2025-01-10' },
          { workEmail: second.workEmail, moduleCode: module.code, completedOn: '2025-02-01' },
        ],
      },
    });
    const imported = data(response).importTrainingRecords;
    expect(imported.importedCount).toBe(3);
    expect(imported.trainingRecords.map((record: any) => [record.person.workEmail, record.module.code, record.completedOn])).toEqual([
      [first.workEmail, module.code, '2025-01-10'],
      [first.workEmail, other.code, '2025-01-10'],
      [second.workEmail, module.code, '2025-02-01'],
    ]);
    expect(await countRecords()).toBe(4);
    const records = data(await platform.graphql(first.caller, `{ viewer { person { trainingRecords { module { code } expiresOn evidenceReference verifiedBy { id } } } } }`)).viewer.person
      .trainingRecords;
    expect(records).toContainEqual({ module: { code: module.code }, expiresOn: '2026-01-10', evidenceReference: 'SHEET-1', verifiedBy: null });

    const events = await ownerQuery(POLICE, `select details from audit_event where action = 'TRAINING_RECORDS_IMPORTED' and actor_subject = 'hc-admin-1' and details->>'count' = '3'`);
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(events[0].details).sort()).toEqual(['count', 'people']);
  });

  it('refuses more than 1000 rows and an empty import', async () => {
    const row = { workEmail: 'a@b.c', moduleCode: 'M', completedOn: '2025-01-01' };
    const tooMany = await platform.graphql(policeAdmin, IMPORT, { input: { records: Array.from({ length: 1001 }, () => row) } });
    expect(problemFields(tooMany)).toEqual(['records']);
    expect(problemFields(await platform.graphql(policeAdmin, IMPORT, { input: { records: [] } }))).toEqual(['records']);
  });
});

describe('cost', () => {
  // A short slug keeps 1000 spreadsheet rows under the request body limit.
  const slug = `tc${Date.now().toString(36)}`;
  let tenantId: string;
  let schemeId: string;
  const admin = (): Caller => ({ organisation: slug, roles: ['SCHEME_ADMIN'], subject: 'person-1' });

  beforeAll(async () => {
    tenantId = await seedLargeOrganisation(process.env.TEST_OWNER_URL as string, { slug, name: 'Training Cost Constabulary', people: 1000 });
    const owner = await ownerClient();
    try {
      schemeId = await asTenant(owner, tenantId, async () => {
        const scheme = (await owner.query(`select id from scheme where tenant_id = $1`, [tenantId])).rows[0].id as string;
        const modules = await owner.query(
          `insert into training_module (tenant_id, code, title, hours, validity_months, provider_name, provider_organisation_id)
           values ($1, 'A', 'Autism awareness', 3, null, 'College', null), ($1, 'B1', 'Dementia one', 2, 24, null, $2),
                  ($1, 'B2', 'Dementia two', 4, 36, null, $2), ($1, 'C', 'Mind Blue Light', 7, 12, 'Mind', null)
           returning id, code`,
          [tenantId, demoIds.organisation(SOUTHERN_HEALTH)],
        );
        const id = Object.fromEntries(modules.rows.map((row) => [row.code, row.id]));
        await owner.query(
          `insert into training_requirement (tenant_id, scheme_id, role_code, kind, title, module_ids, refresh_months, minimum_hours)
           values ($1, $2, 'MILO', 'MODULE', 'Autism', array[$3::uuid], null, null),
                  ($1, $2, 'MILO', 'MODULE', 'Dementia (either)', array[$4::uuid, $5::uuid], null, null),
                  ($1, $2, 'MILO', 'MODULE', 'Blue Light', array[$6::uuid], 12, null),
                  ($1, $2, 'MILO', 'MINIMUM_HOURS', 'Hours', '{}', null, 10)`,
          [tenantId, scheme, id.A, id.B1, id.B2, id.C],
        );
        // People 1-60 get a mix: everyone autism, some either dementia course, most Blue Light at
        // different ages (some expired), every other one verified by person-1.
        await owner.query(
          `with people as (
             select id, substring(subject from 8)::int as n from person where tenant_id = $1 and subject like 'person-%' and substring(subject from 8)::int <= 60
           )
           insert into training_record (tenant_id, person_id, module_id, completed_on, verified_by, verified_at)
           select $1, people.id, m.id, current_date - ((people.n * 37 + length(m.code) * 11) % 500) - 1,
                  case when people.n % 2 = 0 then (select id from person where tenant_id = $1 and subject = 'person-1') end,
                  case when people.n % 2 = 0 then now() end
             from people
             join training_module m on m.tenant_id = $1
              and (m.code = 'A' or (m.code = 'B1' and people.n % 2 = 0) or (m.code = 'B2' and people.n % 3 = 0) or (m.code = 'C' and people.n % 4 <> 1))`,
          [tenantId],
        );
        return scheme;
      });
    } finally {
      await owner.end();
    }
  });

  it('imports 1000 rows with the same number of statements as 2', async () => {
    const IMPORT_COUNT = `mutation($input: ImportTrainingRecordsInput!) { importTrainingRecords(input: $input) { importedCount } }`;
    const row = (person: number, moduleCode: string) => ({ workEmail: `person${person}@${slug}.example.org`, moduleCode, completedOn: addDays(today, -1) });
    // People 61-1000 completed autism yesterday; people 61-120 Blue Light too.
    const thousand = [...Array.from({ length: 940 }, (_, index) => row(index + 61, 'A')), ...Array.from({ length: 60 }, (_, index) => row(index + 61, 'C'))];
    const large = await platform.graphql(admin(), IMPORT_COUNT, { input: { records: thousand } });
    expect(data(large).importTrainingRecords.importedCount).toBe(1000);
    const small = await platform.graphql(admin(), IMPORT_COUNT, { input: { records: [row(121, 'C'), row(122, 'C')] } });
    expect(data(small).importTrainingRecords.importedCount).toBe(2);
    expect(large.statements).toBe(small.statements);
  });

  it("costs the same number of SQL statements for 10 people's eligibility and records as for 60", async () => {
    const query = `query($first: Int!, $scheme: ID!) {
      people(first: $first) { edges { node { displayName
        trainingRecords { completedOn expiresOn verifiedBy { displayName } module { code provider { name } } }
        eligibility(schemeId: $scheme, role: MILO) { eligible nextLapseOn
          unmet { reason requirement { title modules { code } } }
          met { lapsesOn requirement { title } satisfiedBy { code } } } } } }
    }`;
    const statementsFor = async (first: number) => {
      const response = await platform.graphql(admin(), query, { first, scheme: toGlobalId('Scheme', schemeId) });
      const people = data(response).people.edges.map((edge: any) => edge.node);
      expect(people).toHaveLength(first);
      expect(people.every((person: any) => person.trainingRecords.length > 0)).toBe(true);
      expect(people.some((person: any) => person.trainingRecords.some((record: any) => record.verifiedBy))).toBe(true);
      expect(people.some((person: any) => person.eligibility.eligible)).toBe(true);
      expect(people.some((person: any) => !person.eligibility.eligible)).toBe(true);
      return response.statements as number;
    };
    const ten = await statementsFor(10);
    const sixty = await statementsFor(60);
    expect(ten).toBeGreaterThan(0);
    expect(sixty).toBe(ten);
  });
});
