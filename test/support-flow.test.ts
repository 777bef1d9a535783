import { randomBytes } from 'node:crypto';
import { addDays, addMonths, ukDateOf } from '../src/platform/calendar';
import { OCCUPATIONAL_HEALTH, POLICE, asTenant, demoIds, toGlobalId, usePlatform, personas, type Caller } from './support/platform';

/*
 * Issue 4's "done when", end to end through the API as the seeded people: a member of staff
 * asks for support → a Lead assigns it → the MILO logs contacts and signposts to the shared
 * occupational-health unit → refers → the unit's staff see and update the referral → feedback
 * is given (by the MILO and, through the one-time link, by the colleague) → the demand figures
 * count it. Five colleagues go through it in an area of this run's own, so the figures clear
 * the suppression threshold and other test files' requests cannot move them.
 */

const police = demoIds.organisation(POLICE);
const unit = demoIds.organisation(OCCUPATIONAL_HEALTH);
const scheme = toGlobalId('Scheme', demoIds.scheme(POLICE));
const area = `Flow ${randomBytes(4).toString('hex')}`;
const month = ukDateOf(new Date()).slice(0, 7);
const lastDayOf = (yearMonth: string) => addDays(addMonths(`${yearMonth}-01`, 1), -1);

const colleagues: Caller[] = ['hc-staff-1', 'hc-staff-3', 'hc-staff-4', 'hc-auditor-1', 'hc-admin-1'].map((subject) => ({
  organisation: POLICE,
  roles: ['STAFF'],
  subject,
}));
const lead: Caller = personas.police.otherStaff;
const miloSubject = 'hc-milo-07';
const milo: Caller = { organisation: POLICE, roles: ['STAFF'], subject: miloSubject };
const adviser: Caller = personas.occupationalHealth.adviser;
const admin: Caller = personas.police.admin;

const ohReferral = toGlobalId('SignpostingService', demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-referral'));
const ohEap = toGlobalId('SignpostingService', demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-eap'));

const { platform, owner } = usePlatform();

async function ok<T = any>(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await platform.graphql(caller, query, variables);
  expect(response.errors).toBeUndefined();
  return response.data as T;
}

it('runs a colleague’s request from asking to the demand figures, across police and the shared unit', async () => {
  const requestIds: string[] = [];
  let referralId = '';

  for (const [index, colleague] of colleagues.entries()) {
    // 1. A member of staff asks for support.
    const asked = await ok(
      colleague,
      `mutation($input: AskForSupportInput!) { askForSupport(input: $input) { supportRequest { id status } crisisSignposting { notice } } }`,
      { input: { schemeId: scheme, urgency: 'SOON', preferredArea: area, summary: 'Struggling since a fatal collision', anonymous: index === 0 } },
    );
    const requestId = asked.askForSupport.supportRequest.id;
    expect(asked.askForSupport.supportRequest.status).toBe('WAITING');
    expect(asked.askForSupport.crisisSignposting).toBeNull();
    requestIds.push(requestId);

    // 2. The Lead finds it in the queue and assigns it.
    const queue = await ok(lead, `query($s: ID!) { supportQueue(schemeId: $s, first: 100) { edges { node { id preferredArea } } } }`, { s: scheme });
    expect(queue.supportQueue.edges.map((edge: any) => edge.node.id)).toContain(requestId);
    const miloId = toGlobalId('Milo', demoIds.milo(POLICE, miloSubject));
    const assigned = await ok(
      lead,
      `mutation($input: AssignSupportRequestInput!) { assignSupportRequest(input: $input) { supportRequest { status assignedMilo { id } } } }`,
      { input: { requestId, miloId } },
    );
    expect(assigned.assignSupportRequest.supportRequest).toEqual({ status: 'ASSIGNED', assignedMilo: { id: miloId } });

    // 3. The MILO logs a contact and signposts to the unit's shared services.
    await ok(
      milo,
      `mutation($input: LogSupportContactInput!) { logSupportContact(input: $input) { contact { id } } }`,
      {
        input: {
          requestId,
          contactOn: ukDateOf(new Date()),
          minutes: 48,
          themeCodes: ['TRAUMA_EXPOSURE'],
          outcomeCode: 'SIGNPOSTED',
          signpostedServiceIds: [ohEap, ohReferral],
          note: 'Agreed to an OH referral',
        },
      },
    );

    // 4. The first colleague is referred to the unit, with the data the agreement allows.
    if (index === 0) {
      const referred = await ok(
        milo,
        `mutation($input: ReferToServiceInput!) { referToService(input: $input) { referral { id status serviceName } } }`,
        {
          input: {
            supportRequestId: requestId,
            serviceId: ohReferral,
            urgency: 'SOON',
            reason: 'Trauma exposure; would like an OH assessment',
            colleagueName: 'Named with consent',
            contactDetails: 'work mobile',
            consentConfirmed: true,
          },
        },
      );
      referralId = referred.referToService.referral.id;
      expect(referred.referToService.referral).toMatchObject({ status: 'SENT', serviceName: 'Occupational Health referral' });

      // 5. The unit's staff see it and move it on; the colleague sees the new status.
      const received = await ok(adviser, `{ referralsReceived(first: 100) { edges { node { id reason colleagueName } } } }`);
      expect(received.referralsReceived.edges.map((edge: any) => edge.node.id)).toContain(referralId);
      await ok(
        adviser,
        `mutation($input: UpdateReferralStatusInput!) { updateReferralStatus(input: $input) { referral { status } } }`,
        { input: { referralId, status: 'ACCEPTED', note: 'Appointment offered' } },
      );
      const followed = await ok(colleague, `query($id: ID!) { supportRequest(id: $id) { referrals { status statusNote } } }`, { id: requestId });
      expect(followed.supportRequest.referrals).toEqual([{ status: 'ACCEPTED', statusNote: 'Appointment offered' }]);
      // The unit still sees nothing else of police's: not the request, not its contacts.
      const peek = await platform.graphql(adviser, `query($id: ID!) { node(id: $id) { id } }`, { id: requestId });
      expect(peek.data?.node ?? null).toBeNull();
    }

    // 6. The MILO closes the request.
    const closed = await ok(
      milo,
      `mutation($input: CloseSupportRequestInput!) { closeSupportRequest(input: $input) { supportRequest { status closureOutcomeCode } } }`,
      { input: { requestId, outcomeCode: index === 0 ? 'REFERRED_ON' : 'RESOLVED' } },
    );
    expect(closed.closeSupportRequest.supportRequest.status).toBe('CLOSED');

    // 7. Feedback: the MILO's, and the colleague's through a one-time link that needs no account.
    await ok(
      milo,
      `mutation($input: GiveCaseFeedbackInput!) { giveCaseFeedback(input: $input) { feedback { id } } }`,
      { input: { supportRequestId: requestId, rating: 4, themeCodes: ['TRAUMA_EXPOSURE'], trainingNeedCodes: ['TRAUMA_RISK'] } },
    );
    const link = await ok(milo, `mutation($input: CreateFeedbackLinkInput!) { createFeedbackLink(input: $input) { token path } }`, {
      input: { supportRequestId: requestId },
    });
    const answered = await platform.http
      .post(link.createFeedbackLink.path)
      .set('Content-Type', 'application/json')
      .send({ rating: 5, themeCodes: ['TRAUMA_EXPOSURE'], comment: 'Helped me a lot' });
    expect(answered.status).toBe(201);
  }

  // 8. The demand figures count all five, above the suppression threshold.
  const figures = await ok(
    admin,
    `query($input: DemandFiguresInput!) { demandFigures(input: $input) {
       rows { month area supportRequests { value suppressed } contacts { value suppressed } hours { value suppressed }
              signposting { serviceName count { value suppressed } }
              themes { code count { value suppressed } }
              feedback { count { value suppressed } averageRating { value suppressed } } }
       trainingNeeds { code count { value suppressed } } } }`,
    { input: { schemeId: scheme, from: `${month}-01`, to: lastDayOf(month), area } },
  );
  const row = figures.demandFigures.rows.find((candidate: any) => candidate.area === area && candidate.month === month);
  expect(row.supportRequests).toEqual({ value: 5, suppressed: false });
  expect(row.contacts).toEqual({ value: 5, suppressed: false });
  expect(row.hours).toEqual({ value: 4, suppressed: false });
  expect(row.signposting).toEqual(
    expect.arrayContaining([
      { serviceName: 'Employee Assistance Programme', count: { value: 5, suppressed: false } },
      { serviceName: 'Occupational Health referral', count: { value: 5, suppressed: false } },
    ]),
  );
  expect(row.themes).toEqual(expect.arrayContaining([{ code: 'TRAUMA_EXPOSURE', count: { value: 5, suppressed: false } }]));
  expect(row.feedback.count).toEqual({ value: 10, suppressed: false });
  expect(row.feedback.averageRating).toEqual({ value: 4.5, suppressed: false });

  // Every cross-tenant read and write is in the data owner's log: the unit's reads and its
  // status change in police's, police's reads of the unit's services in the unit's.
  const policeLog = await asTenant(owner, police, () =>
    owner.query(`select action, outcome from audit_event where actor_organisation_id = $1 and (entity_id = $2 or details->'ids' ? $2::text) order by occurred_at`, [
      unit,
      Buffer.from(referralId, 'base64url').toString().split(':')[1],
    ]),
  );
  expect(policeLog.rows.map((event: any) => event.action)).toEqual(expect.arrayContaining(['REFERRAL_READ', 'REFERRAL_STATUS_CHANGED']));
  const unitLog = await asTenant(owner, unit, () =>
    owner.query(`select count(*)::int as n from audit_event where actor_organisation_id = $1 and entity_type = 'SignpostingService'`, [police]),
  );
  expect(unitLog.rows[0].n).toBeGreaterThan(0);
});
