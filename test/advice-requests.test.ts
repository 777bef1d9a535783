import { FIRE, POLICE, asTenant, demoIds, expectError, toGlobalId, usePlatform, personas, type Caller } from './support/platform';

/*
 * Advice requests through the API as the seeded people: an officer asks about a member of
 * the public, an ACTIVE MILO answers from the scheme's advice queue, the officer reads the
 * answer. Who else sees the answer, and what is refused.
 */

const { platform, owner } = usePlatform();
const police = demoIds.organisation(POLICE);
const schemeId = toGlobalId('Scheme', demoIds.scheme(POLICE));

const person = (subject: string, organisation = POLICE): Caller => ({ organisation, roles: ['STAFF'], subject });
const officer = person('hc-staff-1');
const otherOfficer = person('hc-staff-3');
const milo = person('hc-milo-23');
const otherMilo = person('hc-milo-24');
const lapsedMilo = person('hc-milo-19');
const lead = person('hc-lead-01');
const fireMilo = person('hfrs-milo-02', FIRE);
const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

const ADVICE_FIELDS = `id incidentReference urgency area status description answer minutes themeCodes answeredAt
  requestedBy { displayName } answeredBy { id } answeredByPerson { displayName }`;

const ASK = `mutation($input: AskForAdviceInput!) { askForAdvice(input: $input) { adviceRequest { ${ADVICE_FIELDS} } } }`;
const ANSWER = `mutation($input: AnswerAdviceRequestInput!) { answerAdviceRequest(input: $input) { adviceRequest { ${ADVICE_FIELDS} } } }`;
const READ = `query($id: ID!) { adviceRequest(id: $id) { ${ADVICE_FIELDS} } }`;
const QUEUE = `query($schemeId: ID!, $status: AdviceRequestStatus) {
  adviceQueue(schemeId: $schemeId, status: $status, first: 100) { totalCount edges { node { id urgency description answer } } }
}`;

async function ask(input: Record<string, unknown> = {}, caller: Caller = officer) {
  const response = await platform.graphql(caller, ASK, {
    input: {
      schemeId,
      incidentReference: '44260001234',
      description: 'Man on the bridge parapet, calm now, says he has not taken his medication for a week',
      urgency: 'URGENT',
      area: 'Southampton',
      ...input,
    },
  });
  expect(response.errors).toBeUndefined();
  return response.data!.askForAdvice.adviceRequest;
}

function answer(caller: Caller, requestId: string, input: Record<string, unknown> = {}) {
  return platform.graphql(caller, ANSWER, {
    input: { requestId, answer: 'Consider a section 136 only as a last resort; call the street triage team on 0300 ...', minutes: 15, themeCodes: ['OTHER'], ...input },
  });
}

async function queueIds(caller: Caller, status?: string): Promise<string[]> {
  const response = await platform.graphql(caller, QUEUE, { schemeId, status });
  expect(response.errors).toBeUndefined();
  return response.data!.adviceQueue.edges.map((edge: any) => edge.node.id);
}

describe('advice, end to end', () => {
  it('an officer asks, an active MILO answers from the queue, and the officer reads the answer', async () => {
    const asked = await ask({ incidentReference: 'HC/2026/0412-77' });
    expect(asked).toMatchObject({ incidentReference: 'HC/2026/0412-77', urgency: 'URGENT', area: 'Southampton', status: 'WAITING', answer: null, answeredBy: null });
    expect(asked.requestedBy.displayName).toBeTruthy();

    expect(await queueIds(milo)).toContain(asked.id);
    expect(await queueIds(lead)).toContain(asked.id);

    const answered = await answer(milo, asked.id, { minutes: 20, themeCodes: ['TRAUMA_EXPOSURE'] });
    expect(answered.errors).toBeUndefined();
    expect(answered.data!.answerAdviceRequest.adviceRequest).toMatchObject({
      status: 'ANSWERED',
      minutes: 20,
      themeCodes: ['TRAUMA_EXPOSURE'],
      answeredBy: { id: toGlobalId('Milo', demoIds.milo(POLICE, 'hc-milo-23')) },
    });
    expect(await queueIds(milo)).not.toContain(asked.id);
    expect(await queueIds(milo, 'ANSWERED')).toContain(asked.id);

    // The officer sees the answer and who gave it, not the MILO's membership.
    const asOfficer = await platform.graphql(officer, READ, { id: asked.id });
    expect(asOfficer.data!.adviceRequest).toMatchObject({
      status: 'ANSWERED',
      answer: expect.stringContaining('section 136'),
      answeredBy: null,
      answeredByPerson: { displayName: expect.any(String) },
    });
    const mine = await platform.graphql(officer, `{ myAdviceRequests(first: 100) { edges { node { id answer } } } }`);
    expect(mine.data!.myAdviceRequests.edges.map((edge: any) => edge.node)).toContainEqual({ id: asked.id, answer: expect.stringContaining('section 136') });

    // Leads read the answer; another active MILO sees the request but not the answer.
    expect((await platform.graphql(lead, READ, { id: asked.id })).data!.adviceRequest.answer).toContain('section 136');
    const asOtherMilo = await platform.graphql(otherMilo, READ, { id: asked.id });
    expect(asOtherMilo.data!.adviceRequest).toMatchObject({ description: expect.stringContaining('bridge'), answer: null });

    const { rows } = await asTenant(owner, police, () =>
      owner.query(`select action, details from audit_event where tenant_id = $1 and entity_id = $2`, [police, dbId(asked.id)]),
    );
    expect(rows).toEqual([expect.objectContaining({ action: 'ADVICE_REQUEST_ANSWERED', details: expect.objectContaining({ minutes: 20, themeCodes: ['TRAUMA_EXPOSURE'] }) })]);

    // A second answer is a conflict; the first stands.
    expectError(await answer(otherMilo, asked.id), 'CONFLICT');
    expect((await platform.graphql(officer, READ, { id: asked.id })).data!.adviceRequest.minutes).toBe(20);
  });

  it('lists WAITING advice most urgent first, then oldest', async () => {
    const routine = (await ask({ urgency: 'ROUTINE' })).id;
    const urgent = (await ask({ urgency: 'URGENT' })).id;
    const soon = (await ask({ urgency: 'SOON' })).id;
    const ours = (await queueIds(milo)).filter((id) => [routine, urgent, soon].includes(id));
    expect(ours).toEqual([urgent, soon, routine]);
    for (const id of [routine, urgent, soon]) expect((await answer(milo, id)).errors).toBeUndefined();
  });
});

describe('who may answer and read', () => {
  let id: string;
  beforeAll(async () => {
    id = (await ask()).id;
  });
  afterAll(() => answer(milo, id));

  it('staff, lapsed MILOs and scheme admins cannot see the queue or answer', async () => {
    for (const caller of [otherOfficer, lapsedMilo, personas.police.admin as Caller]) {
      expectError(await platform.graphql(caller, QUEUE, { schemeId }), 'FORBIDDEN');
      expectError(await answer(caller, id), 'FORBIDDEN');
    }
    expectError(await platform.graphql(otherOfficer, READ, { id }), 'FORBIDDEN');
    expectError(await platform.graphql(otherOfficer, `query($id: ID!) { node(id: $id) { id } }`, { id }), 'FORBIDDEN');
    const own = await platform.graphql(officer, `query($id: ID!) { node(id: $id) { id ... on AdviceRequest { status } } }`, { id });
    expect(own.data!.node).toEqual({ id, status: 'WAITING' });
  });

  it('another organisation cannot see or answer it', async () => {
    const read = await platform.graphql(fireMilo, READ, { id });
    expect(read.errors).toBeUndefined();
    expect(read.data!.adviceRequest).toBeNull();
    expectError(await answer(fireMilo, id), 'NOT_FOUND');
    expectError(await platform.graphql(fireMilo, QUEUE, { schemeId }), 'NOT_FOUND');
    expectError(await platform.graphql(person('hfrs-staff-1', FIRE), ASK, { input: { schemeId, incidentReference: 'X1', description: 'x', urgency: 'ROUTINE' } }), 'NOT_FOUND');
  });
});

describe('malformed and hostile input', () => {
  it.each([
    ['an incident reference with spaces', { incidentReference: 'HC 2026 1' }, 'incidentReference'],
    ['an incident reference starting with a slash', { incidentReference: '/HC1' }, 'incidentReference'],
    ['an incident reference of 51 characters', { incidentReference: 'A'.repeat(51) }, 'incidentReference'],
    ['a blank description', { description: '   ' }, 'description'],
    ['a 100 KB description', { description: 'x'.repeat(100_000) }, 'description'],
    ['a NUL in the description', { description: 'a\u0000b' }, 'description'],
  ])('asking with %s is refused with BAD_USER_INPUT', async (_label, input, field) => {
    const response = await platform.graphql(officer, ASK, { input: { schemeId, incidentReference: 'HC1', description: 'Something happened', urgency: 'SOON', ...input } });
    const error = expectError(response, 'BAD_USER_INPUT');
    expect((error.extensions.problems as Array<{ field: string }>).map((problem) => problem.field)).toContain(field);
  });

  it('an answer with unknown themes, no minutes, nothing to say or over 4000 characters is refused and the request stays WAITING', async () => {
    const id = (await ask()).id;
    for (const [input, field] of [
      [{ themeCodes: ['NOT_A_THEME'] }, 'themeCodes[0]'],
      [{ minutes: 0 }, 'minutes'],
      [{ answer: '' }, 'answer'],
      [{ answer: 'z'.repeat(4001) }, 'answer'],
    ] as const) {
      const error = expectError(await answer(milo, id, input), 'BAD_USER_INPUT');
      expect((error.extensions.problems as Array<{ field: string }>).map((problem) => problem.field)).toContain(field);
    }
    expect((await platform.graphql(officer, READ, { id })).data!.adviceRequest.status).toBe('WAITING');
    await answer(milo, id);
  });

  it('SQL and HTML are stored verbatim and shown only to those allowed', async () => {
    const hostile = `Robert'); DROP TABLE advice_request; -- <img src=x onerror=alert(1)>`;
    const asked = await ask({ description: hostile });
    expect(asked.description).toBe(hostile);
    const answered = await answer(milo, asked.id, { answer: `<script>alert("answer")</script>` });
    expect(answered.data!.answerAdviceRequest.adviceRequest.answer).toBe(`<script>alert("answer")</script>`);
    const { rows } = await asTenant(owner, police, () =>
      owner.query(`select description, answer from advice_request where tenant_id = $1 and id = $2`, [police, dbId(asked.id)]),
    );
    expect(rows).toEqual([{ description: hostile, answer: `<script>alert("answer")</script>` }]);
    expect((await platform.graphql(otherMilo, READ, { id: asked.id })).data!.adviceRequest.answer).toBeNull();
  });
});
