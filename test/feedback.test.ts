import { createHash } from 'node:crypto';
import { FIRE, POLICE, asTenant, demoIds, expectError, toGlobalId, usePlatform, personas, type Caller } from './support/platform';

/*
 * Feedback on closed support requests, through GraphQL and the public /feedback/<token> form,
 * as seeded people. The requests are this file's own (arranged as the owner), assigned to the
 * seeded ACTIVE MILO hc-milo-05 in Southampton.
 */

const { platform, owner } = usePlatform();
const police = demoIds.organisation(POLICE);
const fire = demoIds.organisation(FIRE);
const scheme = demoIds.scheme(POLICE);
const milo05 = demoIds.milo(POLICE, 'hc-milo-05');
const NO_STACK = /stacktrace|\bat .+\.(js|ts):\d+|<html|<pre/i;

const assignedMilo: Caller = personas.police.member('hc-milo-05');
const otherMilo: Caller = personas.police.member('hc-milo-06');
const lead: Caller = personas.police.otherStaff;
const colleague: Caller = personas.police.member('hc-staff-3');
const staffOnly: Caller = personas.police.staff;
const fireMilo: Caller = personas.fire.milo;

const arrange = <T>(work: () => Promise<T>) => asTenant(owner, police, work);

/** A request of the colleague hc-staff-3, assigned to hc-milo-05, closed unless said otherwise. */
async function arrangeRequest(status: 'ASSIGNED' | 'CLOSED' = 'CLOSED'): Promise<{ id: string; globalId: string }> {
  const { rows } = await arrange(() =>
    owner.query(
      `insert into support_request (tenant_id, scheme_id, requester_person_id, urgency, status, preferred_area, assigned_milo_id, assigned_at,
                                    closed_at, closed_by, closure_outcome_code)
       values ($1, $2, $3, 'ROUTINE', $4, 'Southampton', $5, now() - interval '10 days',
               case when $4 = 'CLOSED' then now() - interval '1 day' end, case when $4 = 'CLOSED' then $6::uuid end,
               case when $4 = 'CLOSED' then 'RESOLVED' end)
       returning id`,
      [police, scheme, demoIds.person(POLICE, 'hc-staff-3'), status, milo05, demoIds.person(POLICE, 'hc-milo-05')],
    ),
  );
  return { id: rows[0].id, globalId: toGlobalId('SupportRequest', rows[0].id) };
}

async function feedbackRows(requestId: string): Promise<Array<Record<string, any>>> {
  const { rows } = await arrange(() => owner.query(`select * from feedback where support_request_id = $1 order by created_at`, [requestId]));
  return rows;
}

async function invitationOf(requestId: string): Promise<Record<string, any> | undefined> {
  const { rows } = await arrange(() => owner.query(`select * from feedback_invitation where support_request_id = $1`, [requestId]));
  return rows[0];
}

const GIVE = `mutation ($input: GiveCaseFeedbackInput!) {
  giveCaseFeedback(input: $input) {
    feedback { id source rating themeCodes trainingNeedCodes comment milo { id } }
    supportRequest { feedback { source rating comment milo { id } } }
  }
}`;
const LINK = `mutation ($input: CreateFeedbackLinkInput!) {
  createFeedbackLink(input: $input) { token path expiresAt replacedEarlierLink }
}`;
const NODE = `query ($id: ID!) { node(id: $id) { ... on Feedback { id source rating comment commentRemovedAt milo { id } } } }`;

const give = (caller: Caller, input: Record<string, unknown>) => platform.graphql(caller, GIVE, { input });
const link = (caller: Caller, input: Record<string, unknown>) => platform.graphql(caller, LINK, { input });
const getForm = (token: string) => platform.http.get(`/feedback/${token}`);
const answer = (token: string, body: unknown) => platform.http.post(`/feedback/${token}`).set('Content-Type', 'application/json').send(body as object);

/** A JSON refusal with one error of this code and nothing of the server's insides. */
function expectRefusal(response: { status: number; body: any; text: string }, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors[0].extensions.code).toBe(code);
  expect(response.text).not.toMatch(NO_STACK);
  return response.body.errors[0];
}

describe("a MILO's feedback on a case", () => {
  let closed: { id: string; globalId: string };
  let open: { id: string; globalId: string };
  let feedbackId: string;
  const comment = `'); delete from feedback; -- <b>needed</b> <script>alert(1)</script>`;

  beforeAll(async () => {
    closed = await arrangeRequest('CLOSED');
    open = await arrangeRequest('ASSIGNED');
  });

  it('is refused before the request is closed', async () => {
    const error = expectError(await give(assignedMilo, { supportRequestId: open.globalId, rating: 4 }), 'BAD_USER_INPUT');
    expect(error.extensions.problems).toEqual([{ field: 'supportRequestId', message: 'The request is ASSIGNED, not CLOSED' }]);
    expect(await feedbackRows(open.id)).toEqual([]);
  });

  it('is refused to another MILO of the scheme, to staff who are no MILO, and is NOT_FOUND for the fire service', async () => {
    expectError(await give(otherMilo, { supportRequestId: closed.globalId, rating: 4 }), 'FORBIDDEN');
    expectError(await give(staffOnly, { supportRequestId: closed.globalId, rating: 4 }), 'FORBIDDEN');
    expectError(await give(fireMilo, { supportRequestId: closed.globalId, rating: 4 }), 'NOT_FOUND');
    expect(await feedbackRows(closed.id)).toEqual([]);
  });

  it('refuses a rating outside 1–5, unknown codes and an over-long comment, all with problems, writing nothing', async () => {
    let error = expectError(await give(assignedMilo, { supportRequestId: closed.globalId, rating: 6 }), 'BAD_USER_INPUT');
    expect((error.extensions.problems as any[]).map((p) => p.field)).toEqual(['rating']);
    error = expectError(
      await give(assignedMilo, { supportRequestId: closed.globalId, rating: 4, themeCodes: ['WORK_STRESS', 'NOT_A_THEME'], trainingNeedCodes: ['WORK_STRESS'] }),
      'BAD_USER_INPUT',
    );
    expect((error.extensions.problems as any[]).map((p) => p.field)).toEqual(['themeCodes[1]', 'trainingNeedCodes[0]']);
    error = expectError(await give(assignedMilo, { supportRequestId: closed.globalId, rating: 4, comment: 'x'.repeat(100_000) }), 'BAD_USER_INPUT');
    expect((error.extensions.problems as any[]).map((p) => p.field)).toEqual(['comment']);
    expect(await feedbackRows(closed.id)).toEqual([]);
  });

  it('is given once by the assigned MILO, with SQL and HTML in the comment stored as written', async () => {
    const response = await give(assignedMilo, {
      supportRequestId: closed.globalId,
      rating: 4,
      themeCodes: ['WORK_STRESS', 'TRAUMA_EXPOSURE'],
      trainingNeedCodes: ['TRAUMA_RISK'],
      comment,
    });
    expect(response.errors).toBeUndefined();
    const { feedback, supportRequest } = response.data!.giveCaseFeedback;
    expect(feedback).toMatchObject({ source: 'MILO', rating: 4, themeCodes: ['WORK_STRESS', 'TRAUMA_EXPOSURE'], trainingNeedCodes: ['TRAUMA_RISK'], comment });
    expect(feedback.milo).toEqual({ id: toGlobalId('Milo', milo05) });
    expect(supportRequest.feedback).toEqual([{ source: 'MILO', rating: 4, comment, milo: { id: toGlobalId('Milo', milo05) } }]);
    feedbackId = feedback.id;

    const rows = await feedbackRows(closed.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'MILO', milo_id: milo05, rating: 4, comment });
    const { rows: audit } = await arrange(() =>
      owner.query(`select action, details from audit_event where entity_type = 'Feedback' and entity_id = $1`, [rows[0].id]),
    );
    expect(audit).toEqual([{ action: 'CASE_FEEDBACK_GIVEN', details: expect.objectContaining({ rating: 4, trainingNeedCodes: ['TRAUMA_RISK'] }) }]);
    expect(JSON.stringify(audit)).not.toContain('needed');
  });

  it('cannot be given twice: CONFLICT, and still one row', async () => {
    expectError(await give(assignedMilo, { supportRequestId: closed.globalId, rating: 2 }), 'CONFLICT');
    expect(await feedbackRows(closed.id)).toHaveLength(1);
  });

  it('is read by the MILO and the Lead, not by the colleague, and not across organisations', async () => {
    for (const caller of [assignedMilo, lead]) {
      const response = await platform.graphql(caller, NODE, { id: feedbackId });
      expect(response.errors).toBeUndefined();
      expect(response.data!.node).toMatchObject({ id: feedbackId, source: 'MILO', rating: 4, comment });
    }
    expectError(await platform.graphql(colleague, NODE, { id: feedbackId }), 'FORBIDDEN');
    expectError(await platform.graphql(otherMilo, NODE, { id: feedbackId }), 'FORBIDDEN');
    const fromFire = await platform.graphql(personas.fire.admin, NODE, { id: feedbackId });
    expect(fromFire.errors).toBeUndefined();
    expect(fromFire.data!.node).toBeNull();
  });

  it("is a field of the request for its MILO and the Lead; the colleague sees the request but not its feedback", async () => {
    const query = `query ($id: ID!) { node(id: $id) { ... on SupportRequest { id feedback { source rating comment } } } }`;
    for (const caller of [assignedMilo, lead]) {
      const response = await platform.graphql(caller, query, { id: closed.globalId });
      expect(response.errors).toBeUndefined();
      expect(response.data!.node.feedback).toEqual([{ source: 'MILO', rating: 4, comment }]);
    }
    const asColleague = await platform.graphql(colleague, `query ($id: ID!) { node(id: $id) { ... on SupportRequest { id } } }`, { id: closed.globalId });
    expect(asColleague.data!.node).toEqual({ id: closed.globalId });
    expectError(await platform.graphql(colleague, query, { id: closed.globalId }), 'FORBIDDEN');
  });

  it('shows no comment once retention has removed it; the rating stays', async () => {
    await arrange(() => owner.query(`update feedback set comment = null, comment_removed_at = now() where support_request_id = $1`, [closed.id]));
    const response = await platform.graphql(lead, NODE, { id: feedbackId });
    expect(response.data!.node).toMatchObject({ rating: 4, comment: null, commentRemovedAt: expect.any(String) });
  });
});

describe('a one-time feedback link for the person supported', () => {
  let request: { id: string; globalId: string };
  let token: string;

  beforeAll(async () => {
    request = await arrangeRequest('CLOSED');
  });

  it('is refused on an open request, to another MILO, across organisations, and for 0 or 91 days', async () => {
    const open = await arrangeRequest('ASSIGNED');
    expectError(await link(assignedMilo, { supportRequestId: open.globalId }), 'BAD_USER_INPUT');
    expectError(await link(otherMilo, { supportRequestId: request.globalId }), 'FORBIDDEN');
    expectError(await link(colleague, { supportRequestId: request.globalId }), 'FORBIDDEN');
    expectError(await link(fireMilo, { supportRequestId: request.globalId }), 'NOT_FOUND');
    expectError(await link(assignedMilo, { supportRequestId: request.globalId, expiresInDays: 0 }), 'BAD_USER_INPUT');
    expectError(await link(assignedMilo, { supportRequestId: request.globalId, expiresInDays: 91 }), 'BAD_USER_INPUT');
    expect(await invitationOf(request.id)).toBeUndefined();
    expect(await invitationOf(open.id)).toBeUndefined();
  });

  it('is created by the assigned MILO; the token is returned once and only its hash is stored', async () => {
    const before = Date.now();
    const response = await link(assignedMilo, { supportRequestId: request.globalId });
    expect(response.errors).toBeUndefined();
    const created = response.data!.createFeedbackLink;
    expect(created.token).toMatch(new RegExp(`^${police.replace(/-/g, '')}\\.[A-Za-z0-9_-]{43}$`));
    expect(created.path).toBe(`/feedback/${created.token}`);
    expect(created.replacedEarlierLink).toBe(false);
    const days = (Date.parse(created.expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);

    const invitation = await invitationOf(request.id);
    expect(invitation!.token_hash).toBe(createHash('sha256').update(created.token).digest('hex'));
    const { rows } = await arrange(() => owner.query(`select count(*)::int as n from feedback_invitation where token_hash = $1 or token_hash like $2`, [
      created.token,
      `%${created.token.split('.')[1]}%`,
    ]));
    expect(rows[0].n).toBe(0);
    const { rows: audit } = await arrange(() => owner.query(`select details::text from audit_event where entity_id = $1`, [invitation!.id]));
    expect(audit).toHaveLength(1);
    expect(audit[0].details).not.toContain(created.token.split('.')[1]);
    token = created.token;
  });

  it('is replaced when created again (here by the Lead) while unused: the earlier token stops working', async () => {
    const response = await link(lead, { supportRequestId: request.globalId, expiresInDays: 7 });
    expect(response.errors).toBeUndefined();
    expect(response.data!.createFeedbackLink.replacedEarlierLink).toBe(true);
    expectRefusal(await getForm(token), 404, 'NOT_FOUND');
    token = response.data!.createFeedbackLink.token;
  });

  it('opens the form without an account: organisation, themes and expiry, never cached', async () => {
    const response = await getForm(token);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.body.organisationName).toBe('Hampshire and Isle of Wight Constabulary');
    expect(response.body.themes).toEqual(expect.arrayContaining([{ code: 'WORK_STRESS', label: 'Stress at work' }]));
    expect(response.body.themes.every((theme: object) => Object.keys(theme).sort().join() === 'code,label')).toBe(true);
    const days = (Date.parse(response.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.01);
    // Reading the form does not use the link up.
    expect((await invitationOf(request.id))!.used_at).toBeNull();
  });

  it('refuses bad answers with 400 and problems, writing nothing and leaving the link usable', async () => {
    let error = expectRefusal(await answer(token, { rating: 6 }), 400, 'BAD_USER_INPUT');
    expect(error.extensions.problems).toEqual([{ field: 'rating', message: 'The rating must be a whole number from 1 to 5' }]);
    // A well-formed code that is not one of the organisation's themes: refused inside the
    // transaction that had already consumed the link, which is rolled back with it.
    error = expectRefusal(await answer(token, { rating: 4, themeCodes: ['WORK_STRESS', 'NOT_A_THEME'] }), 400, 'BAD_USER_INPUT');
    expect(error.extensions.problems).toEqual([{ field: 'themeCodes[1]', message: '"NOT_A_THEME" is not one of the themes on the form' }]);
    error = expectRefusal(await answer(token, { rating: 4, comment: 'x'.repeat(100 * 1024) }), 400, 'BAD_USER_INPUT');
    expect(error.extensions.problems.map((p: any) => p.field)).toEqual(['comment']);
    error = expectRefusal(await answer(token, { rating: 4, name: 'PC Smith' }), 400, 'BAD_USER_INPUT');
    expect(error.extensions.problems.map((p: any) => p.field)).toEqual(['name']);
    expectRefusal(await answer(token, [4]), 400, 'BAD_USER_INPUT');
    expectRefusal(await platform.http.post(`/feedback/${token}`).set('Content-Type', 'application/json').send('{"rating": 4,'), 400, 'BAD_REQUEST');
    expectRefusal(await platform.http.post(`/feedback/${token}`).set('Content-Type', 'text/plain').send('rating=4'), 400, 'BAD_USER_INPUT');
    expectRefusal(await answer(token, { rating: 4, comment: 'x'.repeat(2 * 1024 * 1024) }), 413, 'PAYLOAD_TOO_LARGE');
    expect(await feedbackRows(request.id)).toEqual([]);
    expect((await invitationOf(request.id))!.used_at).toBeNull();
  });

  const comment = `Robert'); DROP TABLE feedback;-- <img src=x onerror=alert(1)> «merci»`;

  it('takes one answer, anonymously: source SUPPORTED_PERSON, no MILO, no person, the comment verbatim', async () => {
    const response = await answer(token, { rating: 5, themeCodes: ['BEREAVEMENT'], comment });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ received: true });
    const rows = await feedbackRows(request.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      source: 'SUPPORTED_PERSON',
      milo_id: null,
      rating: 5,
      theme_codes: ['BEREAVEMENT'],
      training_need_codes: [],
      comment,
    });
    expect((await invitationOf(request.id))!.used_at).not.toBeNull();
    const { rows: audit } = await arrange(() =>
      owner.query(`select actor_person_id, actor_subject, action, details from audit_event where entity_id = $1`, [rows[0].id]),
    );
    expect(audit).toEqual([
      { actor_person_id: null, actor_subject: 'anonymous-feedback-link', action: 'SUPPORTED_PERSON_FEEDBACK_RECEIVED', details: {} },
    ]);
    expect(JSON.stringify(audit)).not.toContain(demoIds.person(POLICE, 'hc-staff-3'));
  });

  it('refuses the same token again (410 GONE, USED) and writes nothing more', async () => {
    const again = expectRefusal(await answer(token, { rating: 1 }), 410, 'GONE');
    expect(again.extensions.reason).toBe('USED');
    expect(expectRefusal(await getForm(token), 410, 'GONE').extensions.reason).toBe('USED');
    expect(await feedbackRows(request.id)).toHaveLength(1);
  });

  it('cannot be created again once answered: CONFLICT', async () => {
    expectError(await link(assignedMilo, { supportRequestId: request.globalId }), 'CONFLICT');
  });

  it("stays anonymous: not beside the request, where the MILO it is about would know who wrote it; the MILO's own is", async () => {
    const response = await give(assignedMilo, { supportRequestId: request.globalId, rating: 3 });
    expect(response.errors).toBeUndefined();
    expect(response.data!.giveCaseFeedback.supportRequest.feedback).toEqual([
      { source: 'MILO', rating: 3, comment: null, milo: { id: toGlobalId('Milo', milo05) } },
    ]);
    const [answerRow] = (await feedbackRows(request.id)).filter((row: any) => row.source === 'SUPPORTED_PERSON');
    const byNode = await platform.graphql(assignedMilo, `query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId('Feedback', answerRow.id) });
    expect(byNode.errors).toBeUndefined();
    expect(byNode.data!.node).toBeNull();
  });

  it('refuses an expired link (410 GONE, EXPIRED) and writes nothing', async () => {
    const expiring = await arrangeRequest('CLOSED');
    const created = await link(assignedMilo, { supportRequestId: expiring.globalId, expiresInDays: 1 });
    const expiredToken = created.data!.createFeedbackLink.token;
    await arrange(() => owner.query(`update feedback_invitation set expires_at = now() - interval '1 minute' where support_request_id = $1`, [expiring.id]));
    expect(expectRefusal(await getForm(expiredToken), 410, 'GONE').extensions.reason).toBe('EXPIRED');
    expect(expectRefusal(await answer(expiredToken, { rating: 4 }), 410, 'GONE').extensions.reason).toBe('EXPIRED');
    expect(await feedbackRows(expiring.id)).toEqual([]);
    expect((await invitationOf(expiring.id))!.used_at).toBeNull();
    // An expired, unused link may be sent again: a new token, working again.
    const renewed = await link(assignedMilo, { supportRequestId: expiring.globalId });
    expect(renewed.data!.createFeedbackLink.replacedEarlierLink).toBe(true);
    expect((await getForm(renewed.data!.createFeedbackLink.token)).status).toBe(200);
  });

  it('refuses tampered and malformed tokens with 404, whatever the method', async () => {
    const fresh = await arrangeRequest('CLOSED');
    const created = await link(assignedMilo, { supportRequestId: fresh.globalId });
    const good: string = created.data!.createFeedbackLink.token;
    const [, secret] = good.split('.');
    const tampered = [
      `${fire.replace(/-/g, '')}.${secret}`, // the secret moved to another organisation
      `${police.replace(/-/g, '')}.${Buffer.alloc(32, 7).toString('base64url')}`, // a made-up secret
      `${'0'.repeat(32)}.${secret}`, // no such organisation
      `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`, // one character changed
      'not-a-token',
      `${police}.${secret}`, // dashed organisation id
      encodeURIComponent(`${police.replace(/-/g, '')}.' or 1=1 --`),
    ];
    for (const bad of tampered) {
      expectRefusal(await getForm(bad), 404, 'NOT_FOUND');
      expectRefusal(await answer(bad, { rating: 4 }), 404, 'NOT_FOUND');
    }
    expect(await feedbackRows(fresh.id)).toEqual([]);
    expect((await invitationOf(fresh.id))!.used_at).toBeNull();
  });

  it('accepts only one of two answers sent at the same moment', async () => {
    const racing = await arrangeRequest('CLOSED');
    const created = await link(assignedMilo, { supportRequestId: racing.globalId });
    const raceToken = created.data!.createFeedbackLink.token;
    const responses = await Promise.all([answer(raceToken, { rating: 2 }), answer(raceToken, { rating: 3 })]);
    expect(responses.map((response) => response.status).sort()).toEqual([201, 410]);
    expect(await feedbackRows(racing.id)).toHaveLength(1);
  });
});
