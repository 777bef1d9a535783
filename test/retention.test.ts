import { seedLargeOrganisation } from '../seeds';
import { removeExpiredFreeText, startRetentionSweep } from '../src/modules/retention';
import { ukDateOf } from '../src/platform/calendar';
import { withTenantTransaction } from '../src/platform/database/tenant-transaction';
import { OCCUPATIONAL_HEALTH, asTenant, demoIds, toGlobalId, usePlatform, type Caller } from './support/platform';

/*
 * Retention: free text about a case (a request's summary, its contacts' notes, its feedback
 * comments and referral reasons; an advice request's description and answer) is removed once
 * the scheme's period has run from the end of the case, while the figures (contacts, minutes,
 * codes) stay. This file works in an organisation of its own, so moving the clock or setting
 * retention to its minimum touches nobody else's records.
 */

const DAY_MS = 86_400_000;
const slug = `retention-${Date.now()}`;
const { platform, owner } = usePlatform();
let tenantId: string;
let schemeId: string;
let leadMiloId: string;
const today = ukDateOf(new Date());

const caller = (subject: string, roles: Caller['roles'] = ['STAFF']): Caller => ({ organisation: slug, roles, subject });
const admin = caller('person-1', ['SCHEME_ADMIN', 'STAFF']);
const lead = caller('person-2');
const colleague = caller('person-3');
const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
const arrange = <T>(work: () => Promise<T>) => asTenant(owner, tenantId, work);

const READ = `query($id: ID!) {
  supportRequest(id: $id) { id status summary freeTextRemovedAt contacts { minutes themeCodes outcomeCode note noteRemovedAt } }
}`;
const READ_ADVICE = `query($id: ID!) { adviceRequest(id: $id) { id status description answer minutes themeCodes freeTextRemovedAt } }`;

async function call(who: Caller, query: string, variables: Record<string, unknown>) {
  const response = await platform.graphql(who, query, variables);
  expect(response.errors).toBeUndefined();
  return response.data!;
}

/** A request asked, assigned, given one contact with a note, closed; plus a feedback comment and a referral reason. */
async function closedCase(summary: string, note: string): Promise<string> {
  const asked = await call(colleague, `mutation($input: AskForSupportInput!) { askForSupport(input: $input) { supportRequest { id } } }`, {
    input: { schemeId, urgency: 'SOON', summary },
  });
  const id = asked.askForSupport.supportRequest.id;
  await call(lead, `mutation($input: AssignSupportRequestInput!) { assignSupportRequest(input: $input) { supportRequest { id } } }`, {
    input: { requestId: id, miloId: leadMiloId },
  });
  await call(lead, `mutation($input: LogSupportContactInput!) { logSupportContact(input: $input) { contact { id } } }`, {
    input: { requestId: id, contactOn: today, minutes: 30, themeCodes: ['WORK_STRESS'], outcomeCode: 'SUPPORT_GIVEN', note },
  });
  await call(lead, `mutation($input: CloseSupportRequestInput!) { closeSupportRequest(input: $input) { supportRequest { id } } }`, {
    input: { requestId: id, outcomeCode: 'RESOLVED' },
  });
  // Feedback and a referral on the case, written as their modules would.
  await arrange(async () => {
    const { rows: agreements } = await owner.query(`select id from data_sharing_agreement where tenant_id = $1`, [tenantId]);
    await owner.query(
      `insert into feedback (tenant_id, support_request_id, source, milo_id, rating, theme_codes, comment) values ($1, $2, 'MILO', $3, 4, '{WORK_STRESS}', 'Went well')`,
      [tenantId, dbId(id), dbId(leadMiloId)],
    );
    await owner.query(
      `insert into referral (tenant_id, support_request_id, agreement_id, target_organisation_id, service_id, service_name, referred_by, urgency, consent_confirmed, reason, status)
       values ($1, $2, $3, $4, $5, 'Occupational Health referral', (select id from person where tenant_id = $1 and subject = 'person-2'), 'SOON', true, 'Needs a phased return', 'SENT')`,
      [tenantId, dbId(id), agreements[0].id, demoIds.organisation(OCCUPATIONAL_HEALTH), demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-referral')],
    );
  });
  return id;
}

async function answeredAdvice(description: string): Promise<string> {
  const asked = await call(colleague, `mutation($input: AskForAdviceInput!) { askForAdvice(input: $input) { adviceRequest { id } } }`, {
    input: { schemeId, incidentReference: 'RET-1', description, urgency: 'ROUTINE' },
  });
  const id = asked.askForAdvice.adviceRequest.id;
  await call(lead, `mutation($input: AnswerAdviceRequestInput!) { answerAdviceRequest(input: $input) { adviceRequest { id } } }`, {
    input: { requestId: id, answer: 'Call the street triage team', minutes: 12, themeCodes: ['WORK_STRESS'] },
  });
  return id;
}

/** What the database holds for a case, free text and figures. */
async function storedCase(id: string) {
  return arrange(async () => {
    const request = (await owner.query(`select summary, free_text_removed_at from support_request where tenant_id = $1 and id = $2`, [tenantId, dbId(id)])).rows[0];
    const contacts = (await owner.query(`select note, note_removed_at, minutes from support_contact where tenant_id = $1 and support_request_id = $2`, [tenantId, dbId(id)])).rows;
    const feedback = (await owner.query(`select comment, comment_removed_at, rating from feedback where tenant_id = $1 and support_request_id = $2`, [tenantId, dbId(id)])).rows;
    const referrals = (await owner.query(`select reason, free_text_removed_at, status from referral where tenant_id = $1 and support_request_id = $2`, [tenantId, dbId(id)])).rows;
    return { request, contacts, feedback, referrals };
  });
}

function sweep(now: Date) {
  return withTenantTransaction(platform.platform.dataSource, { tenantId }, (manager) => removeExpiredFreeText(manager, tenantId, now));
}

beforeAll(async () => {
  tenantId = await seedLargeOrganisation(process.env.TEST_OWNER_URL as string, { slug, name: 'Retention Constabulary', people: 5 });
  await arrange(async () => {
    const scheme = (await owner.query(`select id from scheme where tenant_id = $1`, [tenantId])).rows[0].id;
    schemeId = toGlobalId('Scheme', scheme);
    for (const [taxonomy, code] of [['SUPPORT_THEME', 'WORK_STRESS'], ['CONTACT_OUTCOME', 'SUPPORT_GIVEN'], ['CLOSURE_OUTCOME', 'RESOLVED']]) {
      await owner.query(`insert into taxonomy_term (tenant_id, taxonomy, code, label) values ($1, $2, $3, $3)`, [tenantId, taxonomy, code]);
    }
    const leadPerson = (await owner.query(`select id from person where tenant_id = $1 and subject = 'person-2'`, [tenantId])).rows[0].id;
    // A scheme with no training requirements: its Lead is eligible, so ACTIVE today.
    const milo = await owner.query(
      `insert into milo (tenant_id, scheme_id, person_id, role_code, status, status_since, capacity) values ($1, $2, $3, 'LEAD_MILO', 'ACTIVE', $4, 50) returning id`,
      [tenantId, scheme, leadPerson, today],
    );
    leadMiloId = toGlobalId('Milo', milo.rows[0].id);
    await owner.query(
      `insert into milo_status_change (tenant_id, milo_id, from_status, to_status, effective_on, reason, changed_at) values ($1, $2, 'IN_TRAINING', 'ACTIVE', $3, 'Arranged', now())`,
      [tenantId, milo.rows[0].id, today],
    );
    await owner.query(
      `insert into data_sharing_agreement (tenant_id, partner_organisation_id, title, purpose, lawful_basis, valid_from, status)
       values ($1, $2, 'Referrals', 'Occupational health referrals', 'Consent', '2026-01-01', 'ACTIVE')`,
      [tenantId, demoIds.organisation(OCCUPATIONAL_HEALTH)],
    );
  });
});

describe('moving the clock', () => {
  it('keeps free text within the period and removes it after, while contacts, minutes, ratings and codes stay', async () => {
    const id = await closedCase('Struggling since the inquest', 'Talked through sleep; will see GP');
    const adviceId = await answeredAdvice('Woman in crisis at the station, known to mental health services');
    const asLead = await call(lead, READ, { id });
    expect(asLead.supportRequest).toMatchObject({ summary: 'Struggling since the inquest', freeTextRemovedAt: null });
    expect(asLead.supportRequest.contacts).toEqual([expect.objectContaining({ minutes: 30, note: 'Talked through sleep; will see GP' })]);

    // 364 days on, the scheme's 365-day period has not run: nothing goes.
    const soon = await sweep(new Date(Date.now() + 364 * DAY_MS));
    expect(soon).toEqual({ supportRequests: 0, contactNotes: 0, feedbackComments: 0, referralReasons: 0, adviceRequests: 0 });
    expect((await storedCase(id)).request.summary).toBe('Struggling since the inquest');

    // 366 days on, it has.
    const later = new Date(Date.now() + 366 * DAY_MS);
    const removed = await sweep(later);
    expect(removed).toEqual({ supportRequests: 1, contactNotes: 1, feedbackComments: 1, referralReasons: 1, adviceRequests: 1 });

    const stored = await storedCase(id);
    expect(stored.request).toEqual({ summary: null, free_text_removed_at: later });
    expect(stored.contacts).toEqual([{ note: null, note_removed_at: later, minutes: 30 }]);
    expect(stored.feedback).toEqual([{ comment: null, comment_removed_at: later, rating: 4 }]);
    expect(stored.referrals).toEqual([{ reason: null, free_text_removed_at: later, status: 'SENT' }]);

    const afterSweep = await call(lead, READ, { id });
    expect(afterSweep.supportRequest).toMatchObject({ status: 'CLOSED', summary: null, freeTextRemovedAt: later.toISOString() });
    expect(afterSweep.supportRequest.contacts).toEqual([
      { minutes: 30, themeCodes: ['WORK_STRESS'], outcomeCode: 'SUPPORT_GIVEN', note: null, noteRemovedAt: later.toISOString() },
    ]);
    const advice = await call(colleague, READ_ADVICE, { id: adviceId });
    expect(advice.adviceRequest).toEqual({
      id: adviceId,
      status: 'ANSWERED',
      description: null,
      answer: null,
      minutes: 12,
      themeCodes: ['WORK_STRESS'],
      freeTextRemovedAt: later.toISOString(),
    });

    // Recorded in the organisation's own log, by the platform; a second sweep finds nothing.
    const { rows: audit } = await arrange(() =>
      owner.query(`select actor_person_id, actor_subject, details from audit_event where tenant_id = $1 and action = 'FREE_TEXT_REMOVED'`, [tenantId]),
    );
    expect(audit).toEqual([
      expect.objectContaining({ actor_person_id: null, actor_subject: 'platform:retention', details: expect.objectContaining({ supportRequests: 1, contactNotes: 1 }) }),
    ]);
    expect(await sweep(later)).toEqual({ supportRequests: 0, contactNotes: 0, feedbackComments: 0, referralReasons: 0, adviceRequests: 0 });
  });
});

describe('setting retention to its minimum (30 days)', () => {
  it('hides free text of cases closed longer ago at once, keeps open cases’, and the periodic sweep removes it', async () => {
    const updated = await call(admin, `mutation($input: UpdateSchemeInput!) { updateScheme(input: $input) { scheme { freeTextRetentionDays } } }`, {
      input: { id: schemeId, freeTextRetentionDays: 30 },
    });
    expect(updated.updateScheme.scheme.freeTextRetentionDays).toBe(30);

    const id = await closedCase('Bereaved last month', 'Signposted to the charity');
    await arrange(() => owner.query(`update support_request set closed_at = now() - interval '31 days' where tenant_id = $1 and id = $2`, [tenantId, dbId(id)]));
    const open = (
      await call(colleague, `mutation($input: AskForSupportInput!) { askForSupport(input: $input) { supportRequest { id } } }`, {
        input: { schemeId, urgency: 'ROUTINE', summary: 'Still open, so still kept' },
      })
    ).askForSupport.supportRequest.id;

    // Hidden on read before any sweep has run, though the database still holds it.
    const hidden = await call(lead, READ, { id });
    expect(hidden.supportRequest).toMatchObject({ summary: null, freeTextRemovedAt: null });
    expect(hidden.supportRequest.contacts).toEqual([expect.objectContaining({ minutes: 30, note: null })]);
    expect((await storedCase(id)).request.summary).toBe('Bereaved last month');
    expect((await call(lead, READ, { id: open })).supportRequest.summary).toBe('Still open, so still kept');

    // The server's periodic sweep (first run a second after it starts) removes it for good.
    const sweeper = startRetentionSweep(platform.platform.dataSource, 60);
    try {
      const deadline = Date.now() + 15_000;
      while ((await storedCase(id)).request.free_text_removed_at === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      await sweeper.stop();
    }
    const stored = await storedCase(id);
    expect(stored.request.summary).toBeNull();
    expect(stored.request.free_text_removed_at).toBeInstanceOf(Date);
    expect(stored.contacts).toEqual([expect.objectContaining({ note: null, minutes: 30 })]);
    expect(stored.feedback).toEqual([expect.objectContaining({ comment: null, rating: 4 })]);
    expect(stored.referrals).toEqual([expect.objectContaining({ reason: null })]);
    expect((await call(lead, READ, { id: open })).supportRequest.summary).toBe('Still open, so still kept');
    const { rows } = await arrange(() => owner.query(`select summary from support_request where tenant_id = $1 and id = $2`, [tenantId, dbId(open)]));
    expect(rows[0].summary).toBe('Still open, so still kept');
  });
});
