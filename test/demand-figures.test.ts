import { OCCUPATIONAL_HEALTH, POLICE, asTenant, demoIds, expectError, toGlobalId, usePlatform, personas, type Caller } from './support/platform';

/*
 * Demand figures through the API. The rows are arranged as the owner in March 2025 (and one
 * just past its end) in two areas named for this run only, so other test files' requests,
 * made today and elsewhere, cannot change what these areas show.
 */

const { platform, owner } = usePlatform();
const police = demoIds.organisation(POLICE);
const scheme = demoIds.scheme(POLICE);
const schemeId = toGlobalId('Scheme', scheme);
const milo05 = demoIds.milo(POLICE, 'hc-milo-05');
const miloPerson = demoIds.person(POLICE, 'hc-milo-05');
const leadPerson = demoIds.person(POLICE, 'hc-staff-2');
const colleague = demoIds.person(POLICE, 'hc-staff-3');
const suffix = Math.random().toString(36).slice(2, 8);
const BUSY = `Demandshire ${suffix}`;
const SMALL = `Smallbury ${suffix}`;

const admin: Caller = personas.police.admin;
const auditor: Caller = personas.police.auditor;
const lead: Caller = personas.police.otherStaff;
const staff: Caller = personas.police.staff;
const milo: Caller = personas.police.member('hc-milo-05');
const fireAdmin: Caller = personas.fire.admin;
const fireLead: Caller = personas.fire.lead;

const arrange = <T>(work: () => Promise<T>) => asTenant(owner, police, work);

const COUNT = '{ value suppressed }';
const CODES = `{ code label count ${COUNT} }`;
const FIGURES = `query ($input: DemandFiguresInput!) {
  demandFigures(input: $input) {
    scheme { id } from to area months suppressionThreshold
    rows {
      month area
      supportRequests ${COUNT} adviceRequests ${COUNT} contacts ${COUNT} hours ${COUNT}
      themes ${CODES} contactOutcomes ${CODES} closureOutcomes ${CODES}
      signposting { serviceName count ${COUNT} }
      waitingTime { requestsAssigned ${COUNT} medianHours ${COUNT} p90Hours ${COUNT} }
      feedback { count ${COUNT} averageRating ${COUNT} bySource { source count ${COUNT} averageRating ${COUNT} } }
    }
    trainingNeeds ${CODES}
  }
}`;

const figures = (caller: Caller, input: Record<string, unknown>) => platform.graphql(caller, FIGURES, { input });
const MARCH = { schemeId, from: '2025-03-01', to: '2025-03-31' };
const YEAR = { schemeId, from: '2025-01-01', to: '2025-12-31' };

const shown = (value: number | null) => ({ value, suppressed: false });
const hidden = { value: null, suppressed: true };

interface RequestShape {
  area: string | null;
  createdAt: string;
  /** Hours after creation of each assignment, first one first. */
  assignedAfterHours?: number[];
  closure?: { code: string; at: string };
}

async function insertRequest(shape: RequestShape): Promise<string> {
  const assigned = shape.assignedAfterHours?.length ? shape.assignedAfterHours : null;
  const status = shape.closure ? 'CLOSED' : assigned ? 'ASSIGNED' : 'WAITING';
  const lastAssignment = assigned ? new Date(Date.parse(shape.createdAt) + assigned[assigned.length - 1] * 3_600_000).toISOString() : null;
  const { rows } = await owner.query(
    `insert into support_request (tenant_id, scheme_id, requester_person_id, urgency, status, preferred_area, assigned_milo_id, assigned_at,
                                  closed_at, closed_by, closure_outcome_code, created_at, updated_at)
     values ($1, $2, $3, 'ROUTINE', $4, $5, $6, $7, $8, $9, $10, $11, $11) returning id`,
    [
      police, scheme, colleague, status, shape.area, assigned ? milo05 : null, lastAssignment,
      shape.closure?.at ?? null, shape.closure ? leadPerson : null, shape.closure?.code ?? null, shape.createdAt,
    ],
  );
  const id = rows[0].id;
  for (const hours of assigned ?? []) {
    await owner.query(`insert into support_assignment (tenant_id, support_request_id, milo_id, assigned_by, assigned_at) values ($1, $2, $3, $4, $5)`, [
      police, id, milo05, leadPerson, new Date(Date.parse(shape.createdAt) + hours * 3_600_000).toISOString(),
    ]);
  }
  return id;
}

async function insertContact(requestId: string, on: string, minutes: number, themes: string[], outcome: string, services: string[] = []): Promise<void> {
  const { rows } = await owner.query(
    `insert into support_contact (tenant_id, support_request_id, milo_id, contact_on, minutes, theme_codes, outcome_code, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
    [police, requestId, milo05, on, minutes, themes, outcome, miloPerson],
  );
  for (const name of services) {
    await owner.query(
      `insert into support_signposting (tenant_id, support_contact_id, service_organisation_id, service_id, service_name) values ($1, $2, $1, gen_random_uuid(), $3)`,
      [police, rows[0].id, name],
    );
  }
}

async function insertAdvice(area: string, createdAt: string, minutes: number, themes: string[], n: number): Promise<void> {
  await owner.query(
    `insert into advice_request (tenant_id, scheme_id, requested_by, incident_reference, urgency, area, theme_codes, status, answered_by_milo_id, answered_at, minutes, created_at, updated_at)
     values ($1, $2, $3, $4, 'SOON', $5, $6, 'ANSWERED', $7, $8::timestamptz + interval '2 hours', $9, $8, $8)`,
    [police, scheme, colleague, `DT-${suffix}-${n}`, area, themes, milo05, createdAt, minutes],
  );
}

async function insertFeedback(requestId: string, source: 'MILO' | 'SUPPORTED_PERSON', rating: number, at: string, trainingNeeds: string[] = []): Promise<void> {
  await owner.query(
    `insert into feedback (tenant_id, support_request_id, source, milo_id, rating, training_need_codes, created_at) values ($1, $2, $3, $4, $5, $6, $7)`,
    [police, requestId, source, source === 'MILO' ? milo05 : null, rating, trainingNeeds, at],
  );
}

beforeAll(async () => {
  await arrange(async () => {
    // Busy area: six requests in March, first assigned after 1, 2, 3, 4, 5 and 10 hours (the
    // last reassigned days later: the first assignment counts). Five closed RESOLVED, one DECLINED.
    const waits = [[1], [2], [3], [4], [5], [10, 200]];
    const busy: string[] = [];
    for (const [index, hours] of waits.entries()) {
      const day = String(3 + index).padStart(2, '0');
      busy.push(
        await insertRequest({
          area: BUSY,
          createdAt: `2025-03-${day}T09:00:00Z`,
          assignedAfterHours: hours,
          closure: { code: index === 5 ? 'DECLINED' : 'RESOLVED', at: `2025-03-${String(20 + index)}T12:00:00Z` },
        }),
      );
    }
    // Seven contacts of 30 minutes: all about stress at work, four also about a bereavement;
    // five gave support, two signposted; Mind Blue Light five times, police welfare once.
    for (let n = 0; n < 7; n += 1) {
      const themes = n < 4 ? ['WORK_STRESS', 'BEREAVEMENT'] : ['WORK_STRESS'];
      const services = n < 5 ? ['Mind Blue Light Infoline'] : n === 5 ? ['Police welfare support'] : [];
      await insertContact(busy[n % busy.length], `2025-03-${String(10 + n)}`, 30, themes, n < 5 ? 'SUPPORT_GIVEN' : 'SIGNPOSTED', services);
    }
    // Five advice requests of 12 minutes about stress at work.
    for (let n = 0; n < 5; n += 1) await insertAdvice(BUSY, `2025-03-${String(11 + n)}T10:00:00Z`, 12, ['WORK_STRESS'], n);
    // Feedback: five MILO ratings (4, 4, 5, 3, 4; TRAUMA_RISK each time, SUICIDE_PREVENTION once)
    // and two from the people supported (5 and 1).
    const ratings = [4, 4, 5, 3, 4];
    for (const [index, rating] of ratings.entries()) {
      await insertFeedback(busy[index], 'MILO', rating, `2025-03-25T1${index}:00:00Z`, index === 0 ? ['TRAUMA_RISK', 'SUICIDE_PREVENTION'] : ['TRAUMA_RISK']);
    }
    await insertFeedback(busy[0], 'SUPPORTED_PERSON', 5, '2025-03-26T10:00:00Z');
    await insertFeedback(busy[1], 'SUPPORTED_PERSON', 1, '2025-03-26T11:00:00Z');

    // Small area: two waiting requests and one contact in March; one more request made at
    // 23:30 UTC on 31 March, which is already 1 April in the UK (BST).
    const small = await insertRequest({ area: SMALL, createdAt: '2025-03-12T09:00:00Z' });
    await insertRequest({ area: SMALL, createdAt: '2025-03-13T09:00:00Z' });
    await insertContact(small, '2025-03-14', 45, ['FINANCIAL'], 'SUPPORT_GIVEN');
    await insertRequest({ area: SMALL, createdAt: '2025-03-31T23:30:00Z' });
  });
});
const rowFor = (response: Awaited<ReturnType<typeof figures>>, month: string, area: string) =>
  response.data!.demandFigures.rows.find((row: any) => row.month === month && row.area === area);

describe('demand figures', () => {
  it('count a busy area exactly, per month, with the 1–4 counts and the averages of fewer than 5 suppressed', async () => {
    const response = await figures(admin, MARCH);
    expect(response.errors).toBeUndefined();
    const result = response.data!.demandFigures;
    expect(result).toMatchObject({ scheme: { id: schemeId }, from: '2025-03-01', to: '2025-03-31', area: null, months: ['2025-03'], suppressionThreshold: 5 });
    expect(rowFor(response, '2025-03', BUSY)).toEqual({
      month: '2025-03',
      area: BUSY,
      supportRequests: shown(6),
      adviceRequests: shown(5),
      contacts: shown(7),
      hours: shown(4.5), // (7 × 30 + 5 × 12) minutes
      themes: [
        { code: 'WORK_STRESS', label: 'Stress at work', count: shown(12) },
        { code: 'BEREAVEMENT', label: 'Bereavement', count: hidden }, // 4: the largest count suppressed
      ],
      contactOutcomes: [
        { code: 'SUPPORT_GIVEN', label: 'Support given', count: shown(5) },
        { code: 'SIGNPOSTED', label: 'Signposted to a service', count: hidden },
      ],
      closureOutcomes: [
        { code: 'RESOLVED', label: 'Resolved', count: shown(5) },
        { code: 'DECLINED', label: 'Support declined', count: hidden },
      ],
      signposting: [
        { serviceName: 'Mind Blue Light Infoline', count: shown(5) },
        { serviceName: 'Police welfare support', count: hidden },
      ],
      // Waits 1, 2, 3, 4, 5, 10 hours: median 3.5, 90th percentile 7.5 (interpolated).
      waitingTime: { requestsAssigned: shown(6), medianHours: shown(3.5), p90Hours: shown(7.5) },
      feedback: {
        count: shown(7),
        averageRating: shown(3.7), // 26 / 7
        bySource: [
          { source: 'MILO', count: shown(5), averageRating: shown(4) },
          { source: 'SUPPORTED_PERSON', count: hidden, averageRating: hidden },
        ],
      },
    });
  });

  it('suppress a small area, and show 0 (not suppressed) where nothing was recorded', async () => {
    const response = await figures(admin, MARCH);
    expect(rowFor(response, '2025-03', SMALL)).toEqual({
      month: '2025-03',
      area: SMALL,
      supportRequests: hidden,
      adviceRequests: shown(0),
      contacts: hidden,
      hours: hidden,
      themes: [{ code: 'FINANCIAL', label: 'Money worries', count: hidden }],
      contactOutcomes: [{ code: 'SUPPORT_GIVEN', label: 'Support given', count: hidden }],
      closureOutcomes: [],
      signposting: [],
      waitingTime: { requestsAssigned: shown(0), medianHours: shown(null), p90Hours: shown(null) },
      feedback: {
        count: shown(0),
        averageRating: shown(null),
        bySource: [
          { source: 'MILO', count: shown(0), averageRating: shown(null) },
          { source: 'SUPPORTED_PERSON', count: shown(0), averageRating: shown(null) },
        ],
      },
    });
    // 23:30 UTC on 31 March is April in the UK: not in March's figures.
    expect(rowFor(response, '2025-04', SMALL)).toBeUndefined();
  });

  it('count in UK months: the request made at 00:30 BST on 1 April is April’s', async () => {
    const response = await figures(admin, { schemeId, from: '2025-03-01', to: '2025-04-30', area: SMALL });
    expect(response.data!.demandFigures.months).toEqual(['2025-03', '2025-04']);
    expect(response.data!.demandFigures.rows.map((row: any) => [row.month, row.area, row.supportRequests])).toEqual([
      ['2025-03', SMALL, hidden],
      ['2025-04', SMALL, hidden],
    ]);
  });

  it('give scheme-wide training needs from MILO feedback, small counts suppressed, whatever the area asked', async () => {
    for (const input of [MARCH, { ...MARCH, area: SMALL }]) {
      const response = await figures(admin, input);
      expect(response.data!.demandFigures.trainingNeeds).toEqual([
        { code: 'TRAUMA_RISK', label: 'Trauma risk management (TRiM)', count: shown(5) },
        { code: 'SUICIDE_PREVENTION', label: 'Suicide prevention', count: hidden },
      ]);
    }
  });

  it('narrow to one area when asked', async () => {
    const response = await figures(admin, { ...MARCH, area: BUSY });
    expect(response.data!.demandFigures.area).toBe(BUSY);
    expect(response.data!.demandFigures.rows.map((row: any) => row.area)).toEqual([BUSY]);
  });

  it('cost the same number of SQL statements for one month and for twelve', async () => {
    const month = await figures(admin, MARCH);
    const year = await figures(admin, YEAR);
    expect(month.errors).toBeUndefined();
    expect(year.errors).toBeUndefined();
    expect(year.data!.demandFigures.months).toHaveLength(12);
    expect(rowFor(year, '2025-03', BUSY)).toEqual(rowFor(month, '2025-03', BUSY));
    expect(month.statements).toBeGreaterThan(0);
    expect(year.statements).toBe(month.statements);
    // A Lead's check of their own membership costs a few more, but still no more for twelve months.
    const leadMonth = await figures(lead, MARCH);
    const leadYear = await figures(lead, YEAR);
    expect(leadYear.statements).toBe(leadMonth.statements);
  });

  it("are open to the organisation's auditors and the scheme's active Lead MILOs", async () => {
    for (const caller of [auditor, lead]) {
      const response = await figures(caller, MARCH);
      expect(response.errors).toBeUndefined();
      expect(rowFor(response, '2025-03', BUSY).supportRequests).toEqual(shown(6));
    }
  });

  it('are FORBIDDEN to staff and to MILOs who are not Leads', async () => {
    expectError(await figures(staff, MARCH), 'FORBIDDEN');
    expectError(await figures(milo, MARCH), 'FORBIDDEN');
    expectError(await figures({ organisation: OCCUPATIONAL_HEALTH, roles: ['PARTNER'] }, MARCH), 'FORBIDDEN');
  });

  it("do not reach another organisation's scheme: NOT_FOUND for the fire service's admin and Lead", async () => {
    expectError(await figures(fireAdmin, MARCH), 'NOT_FOUND');
    expectError(await figures(fireLead, MARCH), 'NOT_FOUND');
  });

  it("are FORBIDDEN to a Lead for a scheme they do not lead", async () => {
    const { rows } = await arrange(() =>
      owner.query(`insert into scheme (tenant_id, name, purpose, status) values ($1, $2, 'Demand figures test', 'ACTIVE') returning id`, [police, `Other scheme ${suffix}`]),
    );
    expectError(await figures(lead, { ...MARCH, schemeId: toGlobalId('Scheme', rows[0].id) }), 'FORBIDDEN');
    const response = await figures(admin, { ...MARCH, schemeId: toGlobalId('Scheme', rows[0].id) });
    expect(response.data!.demandFigures.rows).toEqual([]);
  });

  it('refuse a period that ends before it starts or spans more than 24 months, and a wrong scheme id', async () => {
    let error = expectError(await figures(admin, { schemeId, from: '2025-03-31', to: '2025-03-01' }), 'BAD_USER_INPUT');
    expect(error.extensions.problems).toEqual([{ field: 'to', message: 'Must not be before from' }]);
    error = expectError(await figures(admin, { schemeId, from: '2023-01-01', to: '2025-01-31' }), 'BAD_USER_INPUT');
    expect(error.extensions.problems).toEqual([{ field: 'to', message: 'The period spans 25 months; at most 24' }]);
    expect((await figures(admin, { schemeId, from: '2023-02-01', to: '2025-01-31' })).errors).toBeUndefined();
    expectError(await figures(admin, { schemeId: toGlobalId('Person', scheme), from: '2025-03-01', to: '2025-03-31' }), 'BAD_USER_INPUT');
    const badDate = await figures(admin, { schemeId, from: '2025-02-30', to: '2025-03-31' });
    expect(badDate.errors?.[0].extensions.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });
});
