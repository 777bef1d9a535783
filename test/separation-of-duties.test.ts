import { stableId } from '../seeds';
import { ORGANISATION_ROLES, type OrganisationRole } from '../src/platform/auth/roles';
import { ukDateOf } from '../src/platform/calendar';
import { createTestScheme } from './support/partner-unit';
import {
  FIRE,
  OCCUPATIONAL_HEALTH,
  POLICE,
  asTenant,
  demoIds,
  expectError,
  toGlobalId,
  usePlatform,
  personas,
  type Caller,
  type GraphQLResponse,
} from './support/platform';

/*
 * Separation of duties (DESIGN.md 3), attacked the way a security review did: scheme admins
 * configure and do not read cases; a person's identity is bound once and never moved by a
 * scheme admin; nobody grants their own roles; AUDITOR takes two scheme admins; the platform's
 * records are the source of roles and a token's roles claim only a ceiling; PLATFORM_OPERATOR
 * belongs to the platform's own operator organisation; every change of who can see what is in
 * the audit log with before and after.
 *
 * Flows that change roles run in organisations of this file's own, so that no other test file
 * (sharing the database) sees a new AUDITOR or SCHEME_ADMIN in the seeded organisations.
 */

const { platform, owner } = usePlatform();
const rand = () => Math.random().toString(36).slice(2, 8);

const OPERATOR_ORGANISATION = 'milo-platform';
const operator: Caller = personas.operator.operator;
const operatorAdmin: Caller = personas.operator.admin;
const operatorDpo: Caller = personas.operator.auditor;
const policeAdmin: Caller = { organisation: POLICE, roles: ['SCHEME_ADMIN', 'STAFF'], subject: 'hc-admin-1' };
const fireAdmin: Caller = { organisation: FIRE, roles: ['SCHEME_ADMIN', 'STAFF'], subject: 'hfrs-admin-1' };
const policeLead: Caller = personas.police.otherStaff;

const plan = (reference: string) => demoIds.carePlan(POLICE, reference);
const planId = (reference: string) => toGlobalId('CarePlan', plan(reference));

interface TestPerson {
  id: string;
  globalId: string;
  subject: string;
  caller: Caller;
}

interface TestOrganisation {
  id: string;
  globalId: string;
  slug: string;
  people: Record<string, TestPerson>;
}

/** An organisation of this file's own, with people and the roles the platform records for them. */
async function createOrganisation(label: string, people: Record<string, OrganisationRole[]>): Promise<TestOrganisation> {
  const slug = `sod-${label}-${rand()}`;
  const { rows } = await owner.query(`insert into organisation (slug, name, kind) values ($1, $2, 'POLICE') returning id`, [slug, `Test ${slug}`]);
  const id: string = rows[0].id;
  const created: Record<string, TestPerson> = {};
  await asTenant(owner, id, async () => {
    for (const [key, roles] of Object.entries(people)) {
      const subject = `${slug}-${key}`;
      const person = await owner.query(
        `insert into person (tenant_id, subject, display_name, work_email, employment_type) values ($1, $2, $3, $4, 'POLICE_STAFF') returning id`,
        [id, subject, `Person ${key}`, `${subject}@example.org`],
      );
      const personId: string = person.rows[0].id;
      if (roles.length) {
        await owner.query(`insert into role_assignment (tenant_id, person_id, role) select $1, $2, unnest($3::text[])`, [id, personId, roles]);
      }
      created[key] = { id: personId, globalId: toGlobalId('Person', personId), subject, caller: { organisation: slug, roles, subject } };
    }
  });
  return { id, globalId: toGlobalId('Organisation', id), slug, people: created };
}

async function ok<T = any>(response: Promise<GraphQLResponse> | GraphQLResponse): Promise<T> {
  const resolved = await response;
  expect(resolved.errors).toBeUndefined();
  return resolved.data as T;
}

async function subjectOf(tenantId: string, personId: string): Promise<string | null> {
  const { rows } = await asTenant(owner, tenantId, () => owner.query(`select subject from person where tenant_id = $1 and id = $2`, [tenantId, personId]));
  return rows[0]?.subject ?? null;
}

const ASSIGN = `mutation($personId: ID!, $role: OrganisationRole!) {
  assignRole(input: { personId: $personId, role: $role }) { person { roles } roleAssignment { id role status grantedAt } }
}`;
/** Selects only what the schema had before role requests existed, so the attacks can be replayed against it. */
const ASSIGN_ROLE = `mutation($personId: ID!, $role: OrganisationRole!) { assignRole(input: { personId: $personId, role: $role }) { person { roles } } }`;
const REVOKE_ROLE = `mutation($personId: ID!, $role: OrganisationRole!) { revokeRole(input: { personId: $personId, role: $role }) { person { roles } } }`;
const REVOKE = `mutation($personId: ID!, $role: OrganisationRole!) {
  revokeRole(input: { personId: $personId, role: $role }) { person { roles } roleAssignment { id status } }
}`;
const APPROVE = `mutation($id: ID!) {
  approveRoleAssignment(input: { roleAssignmentId: $id }) {
    roleAssignment { id status approvedAt grantedAt requestedBy { displayName } approvedBy { displayName } } person { roles }
  }
}`;
const REJECT = `mutation($id: ID!, $reason: String) {
  rejectRoleAssignment(input: { roleAssignmentId: $id, reason: $reason }) { roleAssignment { id status rejectedAt } person { roles } }
}`;
const CREATE = `mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id subject roles } } }`;
const LINK = `mutation($personId: ID!, $subject: String!) {
  linkPersonIdentity(input: { personId: $personId, subject: $subject }) { person { id subject } }
}`;
const RELINK = `mutation($input: RelinkPersonIdentityInput!) {
  relinkPersonIdentity(input: $input) { personId subject organisation { slug } }
}`;
const VIEWER = `{ viewer { subject roles audience person { displayName } } }`;

describe('a scheme admin reads no case data', () => {
  it('gets null or FORBIDDEN for every case-reading query and node(id:), with no membership and no AUDITOR, whatever the token asserts', async () => {
    const police = demoIds.organisation(POLICE);
    // Case records of every kind: seeded care plans, and a support request, contact, referral and
    // advice request in a scheme of this file's own.
    const scheme = await createTestScheme(owner, police, POLICE, 'sod-cases');
    const milo = await scheme.addMilo('milo');
    const colleague = await scheme.addPerson('colleague');
    const requestId = await scheme.addRequest({ requesterId: colleague.id, miloId: milo.id });
    const request = toGlobalId('SupportRequest', requestId);
    const contact = await ok(
      platform.graphql(milo.caller, `mutation($input: LogSupportContactInput!) { logSupportContact(input: $input) { contact { id } } }`, {
        input: { requestId: request, contactOn: ukDateOf(new Date()), minutes: 30, themeCodes: ['TRAUMA_EXPOSURE'], outcomeCode: 'SIGNPOSTED', note: 'Confidential contact note' },
      }),
    );
    const referral = await ok(
      platform.graphql(milo.caller, `mutation($input: ReferToServiceInput!) { referToService(input: $input) { referral { id } } }`, {
        input: {
          supportRequestId: request,
          serviceId: toGlobalId('SignpostingService', demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-referral')),
          urgency: 'SOON',
          reason: 'Confidential referral reason',
          consentConfirmed: true,
        },
      }),
    );
    const advice = await ok(
      platform.graphql(colleague.caller, `mutation($input: AskForAdviceInput!) { askForAdvice(input: $input) { adviceRequest { id } } }`, {
        input: { schemeId: toGlobalId('Scheme', scheme.schemeId), incidentReference: '44260009999', description: 'Confidential advice description', urgency: 'URGENT', area: 'Testing' },
      }),
    );
    const auditEvent = (await ok(platform.graphql(personas.police.auditor, `{ auditEvents(first: 1) { edges { node { id } } } }`)))
      .auditEvents.edges[0].node.id;

    const schemeId = toGlobalId('Scheme', scheme.schemeId);
    const seededScheme = toGlobalId('Scheme', demoIds.scheme(POLICE));
    const nodes = {
      CarePlan: planId('CP-HC-0001'),
      CarePlanInput: toGlobalId('CarePlanInput', demoIds.carePlanInput(POLICE, 'CP-HC-0001', 'milo-internal')),
      CarePlanInternalNote: toGlobalId('CarePlanInternalNote', stableId('care-plan-note', POLICE, 'CP-HC-0001')),
      CareTeamMember: toGlobalId('CareTeamMember', stableId('care-team-member', POLICE, 'CP-HC-0001', POLICE, 'hc-staff-2')),
      SupportRequest: request,
      SupportContact: contact.logSupportContact.contact.id,
      Referral: referral.referToService.referral.id,
      AdviceRequest: advice.askForAdvice.adviceRequest.id,
      AuditEvent: auditEvent,
    };
    // The ids are real: those who work the cases (and the DPO) get each of them.
    const auditor: Caller = personas.police.auditor;
    const readers: Record<keyof typeof nodes, Caller> = {
      CarePlan: policeLead,
      CarePlanInput: policeLead,
      CarePlanInternalNote: policeLead,
      CareTeamMember: policeLead,
      SupportRequest: milo.caller,
      SupportContact: milo.caller,
      Referral: milo.caller,
      AdviceRequest: colleague.caller,
      AuditEvent: auditor,
    };
    for (const [type, id] of Object.entries(nodes) as Array<[keyof typeof nodes, string]>) {
      const read = await ok(platform.graphql(readers[type], `query($id: ID!) { node(id: $id) { __typename } }`, { id }));
      expect(read.node).toEqual({ __typename: type });
    }

    const queries: Array<[string, string, Record<string, unknown>?]> = [
      ['carePlans', `{ carePlans(first: 100) { edges { node { id reference subject { displayName dateOfBirth nhsNumber } } } } }`],
      ['carePlan', `query($id: ID!) { carePlan(id: $id) { id subject { displayName nhsNumber } inputs { body } internalNotes { body } careTeam { displayName } } }`, { id: nodes.CarePlan }],
      ['carePlanReviewsDue', `{ carePlanReviewsDue(withinDays: 365, first: 100) { edges { node { id reference } } } }`],
      ['carePlanSubjectAccessExport', `query($id: ID!) { carePlanSubjectAccessExport(carePlanId: $id) }`, { id: nodes.CarePlan }],
      ['exportCarePlanFhir', `query($id: ID!) { exportCarePlanFhir(carePlanId: $id) }`, { id: nodes.CarePlan }],
      ['supportRequests', `query($s: ID!) { supportRequests(schemeId: $s, first: 100) { edges { node { id summary } } } }`, { s: schemeId }],
      ['supportRequests', `query($s: ID!) { supportRequests(schemeId: $s, first: 100) { edges { node { id summary } } } }`, { s: seededScheme }],
      ['supportQueue', `query($s: ID!) { supportQueue(schemeId: $s, first: 100) { edges { node { id summary } } } }`, { s: schemeId }],
      ['supportRequest', `query($id: ID!) { supportRequest(id: $id) { id summary requester { displayName } contacts { note } referrals { reason } } }`, { id: request }],
      ['adviceQueue', `query($s: ID!) { adviceQueue(schemeId: $s, first: 100) { edges { node { id description } } } }`, { s: schemeId }],
      ['adviceRequest', `query($id: ID!) { adviceRequest(id: $id) { id description } }`, { id: nodes.AdviceRequest }],
      ['referral', `query($id: ID!) { referral(id: $id) { id reason } }`, { id: nodes.Referral }],
      ['referralsReceived', `{ referralsReceived(first: 100) { edges { node { id reason } } } }`],
      ['auditEvents', `{ auditEvents(first: 100) { edges { node { id action } } } }`],
      ...Object.entries(nodes).map(([type, id]): [string, string, Record<string, unknown>] => [
        'node',
        `query($id: ID!) { node(id: $id) { id __typename } }`,
        { id, type },
      ]),
    ];

    // The admin's token asserts AUDITOR and more: the platform has not recorded them, so they count for nothing.
    for (const admin of [policeAdmin, { ...policeAdmin, roles: ['SCHEME_ADMIN', 'STAFF', 'AUDITOR', 'PARTNER'] } as Caller]) {
      for (const [field, query, variables] of queries) {
        const response = await platform.graphql(admin, query, variables);
        const codes = (response.errors ?? []).map((error) => error.extensions.code);
        const label = `${field} ${JSON.stringify(variables ?? {})}`;
        expect({ label, codes: codes.filter((code) => code !== 'FORBIDDEN' && code !== 'NOT_FOUND') }).toEqual({ label, codes: [] });
        const value = response.data?.[field];
        const nothing = value === null || value === undefined || (Array.isArray(value?.edges) && value.edges.length === 0);
        expect({ label, nothing }).toEqual({ label, nothing: true });
        for (const secret of ['9434765919', 'Confidential', 'Firearms licence', '1984-05-12']) expect(response.text).not.toContain(secret);
      }
    }
  });
});

describe('identity binding', () => {
  it("an admin cannot rebind a Lead MILO's person to their own subject", async () => {
    const lead = demoIds.person(POLICE, 'hc-staff-2');
    const me = demoIds.person(POLICE, 'hc-admin-1');
    const update = `mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { id } } }`;
    // Step 1 of the attack: free the admin's own subject; step 2: give it to the Lead MILO.
    const renamed = await platform.graphql(policeAdmin, update, { input: { id: toGlobalId('Person', me), subject: `hc-admin-1-old-${rand()}` } });
    expect(renamed.errors?.length).toBeGreaterThan(0);
    const rebound = await platform.graphql(policeAdmin, update, { input: { id: toGlobalId('Person', lead), subject: 'hc-admin-1' } });
    expect(rebound.errors?.length).toBeGreaterThan(0);

    expect(await subjectOf(demoIds.organisation(POLICE), lead)).toBe('hc-staff-2');
    expect(await subjectOf(demoIds.organisation(POLICE), me)).toBe('hc-admin-1');
    // The admin's token is still the admin, and reads no Lead MILO's cases.
    const viewer = await ok(platform.graphql(policeAdmin, VIEWER));
    expect(viewer.viewer.person).toEqual({ displayName: 'Sam Patel' });
    const plans = await platform.graphql(policeAdmin, `{ carePlans(first: 5) { edges { node { reference subject { displayName } } } } }`);
    expect(plans.data?.carePlans ?? null).toBeNull();
    expect(plans.text).not.toContain('CP-HC-0001');
  });

  it('links a person once, at creation or later; a linked person or a subject in use is CONFLICT', async () => {
    const org = await createOrganisation('link', { admin: ['SCHEME_ADMIN', 'STAFF'] });
    const admin = org.people.admin.caller;
    const unlinked = await ok(platform.graphql(admin, CREATE, { input: { displayName: 'Not Linked', workEmail: `nl.${rand()}@example.org`, employmentType: 'POLICE_STAFF' } }));
    const personId = unlinked.createPerson.person.id;
    expect(unlinked.createPerson.person.subject).toBeNull();

    const subject = `idp|${rand()}`;
    const linked = await ok(platform.graphql(admin, LINK, { personId, subject }));
    expect(linked.linkPersonIdentity.person).toEqual({ id: personId, subject });
    expectError(await platform.graphql(admin, LINK, { personId, subject: `idp|${rand()}` }), 'CONFLICT');

    const another = await ok(platform.graphql(admin, CREATE, { input: { displayName: 'Another', workEmail: `an.${rand()}@example.org`, employmentType: 'POLICE_STAFF' } }));
    expectError(await platform.graphql(admin, LINK, { personId: another.createPerson.person.id, subject }), 'CONFLICT');
    expectError(
      await platform.graphql(admin, CREATE, { input: { displayName: 'Same Subject', workEmail: `ss.${rand()}@example.org`, employmentType: 'POLICE_STAFF', subject } }),
      'CONFLICT',
    );
    const atCreation = await ok(
      platform.graphql(admin, CREATE, { input: { displayName: 'Linked Now', workEmail: `ln.${rand()}@example.org`, employmentType: 'POLICE_STAFF', subject: `idp|${rand()}` } }),
    );
    expect(atCreation.createPerson.person.subject).toMatch(/^idp\|/);
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(256)],
    ['a newline', 'bad\nsubject'],
    ['a NUL', 'bad\u0000subject'],
    ['DEL', 'bad\u007fsubject'],
    ['a C1 control', 'bad\u0085subject'],
  ])('refuses a malformed subject (%s) with BAD_USER_INPUT naming the field, and writes nothing', async (_name, subject) => {
    const org = await createOrganisation('malformed', { admin: ['SCHEME_ADMIN'] });
    const admin = org.people.admin.caller;
    const email = `mf.${rand()}@example.org`;
    const created = await platform.graphql(admin, CREATE, { input: { displayName: 'Malformed', workEmail: email, employmentType: 'POLICE_STAFF', subject } });
    const error = expectError(created, 'BAD_USER_INPUT');
    expect((error.extensions.problems as Array<{ field: string }>).map((problem) => problem.field)).toContain('subject');

    const unlinked = await ok(platform.graphql(admin, CREATE, { input: { displayName: 'Unlinked', workEmail: `u.${rand()}@example.org`, employmentType: 'POLICE_STAFF' } }));
    const link = expectError(await platform.graphql(admin, LINK, { personId: unlinked.createPerson.person.id, subject }), 'BAD_USER_INPUT');
    expect((link.extensions.problems as Array<{ field: string }>).map((problem) => problem.field)).toContain('subject');
    const relink = expectError(
      await platform.graphql(operator, RELINK, { input: { organisationId: org.globalId, personId: unlinked.createPerson.person.id, subject, reason: 'Testing' } }),
      'BAD_USER_INPUT',
    );
    expect((relink.extensions.problems as Array<{ field: string }>).map((problem) => problem.field)).toContain('subject');

    const { rows } = await asTenant(owner, org.id, () => owner.query(`select count(*)::int as n from person where tenant_id = $1 and work_email = $2`, [org.id, email]));
    expect(rows[0].n).toBe(0);
  });

  it('the database refuses to change a linked subject outside an operator relink', async () => {
    const police = demoIds.organisation(POLICE);
    await expect(
      asTenant(owner, police, () => owner.query(`update person set subject = 'hc-admin-1-stolen' where tenant_id = $1 and subject = 'hc-staff-2'`, [police])),
    ).rejects.toThrow(/relink/);
  });

  it("a platform operator relinks a person within one transaction, audited in the person's organisation's log and its own", async () => {
    const org = await createOrganisation('relink', { admin: ['SCHEME_ADMIN'], member: ['STAFF'], dpo: ['AUDITOR'] });
    const member = org.people.member;
    const subject = `reissued-${rand()}`;
    const relinked = await ok(
      platform.graphql(operator, RELINK, { input: { organisationId: org.globalId, personId: member.globalId, subject, reason: 'Identity provider reissued the account' } }),
    );
    expect(relinked.relinkPersonIdentity).toEqual({ personId: member.globalId, subject, organisation: { slug: org.slug } });
    expect(await subjectOf(org.id, member.id)).toBe(subject);

    // The old subject is nobody now; the new one is the person, with their recorded roles.
    expect((await ok(platform.graphql(member.caller, VIEWER))).viewer).toMatchObject({ roles: [], person: null });
    expect((await ok(platform.graphql({ ...member.caller, subject }, VIEWER))).viewer).toMatchObject({ roles: ['STAFF'], person: { displayName: 'Person member' } });

    const events = `query($id: ID!) { auditEvents(filter: { entityType: "Person", entityId: $id, action: "PERSON_IDENTITY_RELINKED" }) {
      edges { node { action purpose actorSubject details ownerOrganisation { slug } actorOrganisation { slug } } } } }`;
    const inOrganisation = (await ok(platform.graphql(org.people.dpo.caller, events, { id: member.globalId }))).auditEvents.edges.map((edge: any) => edge.node);
    expect(inOrganisation).toEqual([
      {
        action: 'PERSON_IDENTITY_RELINKED',
        purpose: 'Identity provider reissued the account',
        actorSubject: 'platform-operator-1',
        details: { before: { subject: member.subject }, after: { subject } },
        ownerOrganisation: { slug: org.slug },
        actorOrganisation: { slug: OPERATOR_ORGANISATION },
      },
    ]);
    const inOperatorLog = (await ok(platform.graphql(operatorDpo, events, { id: member.globalId }))).auditEvents.edges.map((edge: any) => edge.node);
    expect(inOperatorLog).toContainEqual(
      expect.objectContaining({
        ownerOrganisation: { slug: OPERATOR_ORGANISATION },
        details: { organisationId: org.id, before: { subject: member.subject }, after: { subject } },
      }),
    );

    // Onto a subject in use there: CONFLICT.
    expectError(
      await platform.graphql(operator, RELINK, { input: { organisationId: org.globalId, personId: member.globalId, subject: org.people.admin.subject, reason: 'Testing' } }),
      'CONFLICT',
    );
  });

  it("restores the operator's own tenant after acting for another, and rolls the relink back with the operation", async () => {
    const org = await createOrganisation('acting', { member: ['STAFF'] });
    const member = org.people.member;
    const email = `acting.${rand()}@milo-platform.org.uk`;
    const subject = `acting-${rand()}`;
    const both = await ok(
      platform.graphql(
        operatorAdmin,
        `mutation($relink: RelinkPersonIdentityInput!, $person: CreatePersonInput!) {
           relinkPersonIdentity(input: $relink) { subject }
           createPerson(input: $person) { person { id organisation { slug } } }
         }`,
        {
          relink: { organisationId: org.globalId, personId: member.globalId, subject, reason: 'Testing' },
          person: { displayName: 'Operator Colleague', workEmail: email, employmentType: 'OTHER' },
        },
      ),
    );
    expect(both.createPerson.person.organisation).toEqual({ slug: OPERATOR_ORGANISATION });
    expect(await subjectOf(org.id, member.id)).toBe(subject);

    // The second relink in the same operation fails (the subject is the person's already): nothing is kept.
    const next = `again-${rand()}`;
    const failed = await platform.graphql(
      operator,
      `mutation($first: RelinkPersonIdentityInput!, $second: RelinkPersonIdentityInput!) {
         first: relinkPersonIdentity(input: $first) { subject }
         second: relinkPersonIdentity(input: $second) { subject }
       }`,
      {
        first: { organisationId: org.globalId, personId: member.globalId, subject: next, reason: 'Testing' },
        second: { organisationId: org.globalId, personId: member.globalId, subject: next, reason: 'Testing' },
      },
    );
    expect(failed.errors?.map((error) => error.extensions.code)).toEqual(['CONFLICT']);
    expect(await subjectOf(org.id, member.id)).toBe(subject);
    const { rows } = await asTenant(owner, org.id, () =>
      owner.query(`select count(*)::int as n from audit_event where tenant_id = $1 and action = 'PERSON_IDENTITY_RELINKED' and details->'after'->>'subject' = $2`, [org.id, next]),
    );
    expect(rows[0].n).toBe(0);
  });

  it("refuses relinking to anyone but a platform operator, and another organisation's person id", async () => {
    const input = { organisationId: toGlobalId('Organisation', demoIds.organisation(POLICE)), personId: toGlobalId('Person', demoIds.person(POLICE, 'hc-staff-1')), subject: `x-${rand()}`, reason: 'Testing' };
    expectError(await platform.graphql(policeAdmin, RELINK, { input }), 'FORBIDDEN');
    expectError(await platform.graphql({ ...policeAdmin, roles: ['PLATFORM_OPERATOR', 'SCHEME_ADMIN'] }, RELINK, { input }), 'FORBIDDEN');
    // Fire's organisation id with a police person's id: not fire's person.
    expectError(await platform.graphql(operator, RELINK, { input: { ...input, organisationId: toGlobalId('Organisation', demoIds.organisation(FIRE)) } }), 'NOT_FOUND');
    expect(await subjectOf(demoIds.organisation(POLICE), demoIds.person(POLICE, 'hc-staff-1'))).toBe('hc-staff-1');
  });
});

describe('granting roles', () => {
  it('an admin cannot grant themselves AUDITOR', async () => {
    const me = toGlobalId('Person', demoIds.person(POLICE, 'hc-admin-1'));
    expectError(await platform.graphql(policeAdmin, ASSIGN_ROLE, { personId: me, role: 'AUDITOR' }), 'FORBIDDEN');
    // Had it worked, the export would now answer: it must not, even with the token asserting AUDITOR.
    const exported = await platform.graphql({ ...policeAdmin, roles: ['SCHEME_ADMIN', 'STAFF', 'AUDITOR'] }, `query($id: ID!) { carePlanSubjectAccessExport(carePlanId: $id) }`, {
      id: planId('CP-HC-0001'),
    });
    expectError(exported, 'FORBIDDEN');
    expect(exported.text).not.toContain('9434765919');
    const { rows } = await asTenant(owner, demoIds.organisation(POLICE), () =>
      owner.query(`select count(*)::int as n from role_assignment where person_id = $1 and role = 'AUDITOR'`, [demoIds.person(POLICE, 'hc-admin-1')]),
    );
    expect(rows[0].n).toBe(0);
  });

  it('nobody grants or revokes their own roles, whichever the role', async () => {
    const org = await createOrganisation('self', { admin: ['SCHEME_ADMIN', 'STAFF'] });
    const admin = org.people.admin;
    for (const role of ORGANISATION_ROLES) {
      expectError(await platform.graphql(admin.caller, ASSIGN_ROLE, { personId: admin.globalId, role }), 'FORBIDDEN');
      expectError(await platform.graphql(admin.caller, REVOKE_ROLE, { personId: admin.globalId, role }), 'FORBIDDEN');
    }
    expect((await ok(platform.graphql(admin.caller, VIEWER))).viewer.roles).toEqual(['SCHEME_ADMIN', 'STAFF']);
  });

  it("a second admin's approval is needed for AUDITOR", async () => {
    const org = await createOrganisation('four-eyes', { first: ['SCHEME_ADMIN', 'STAFF'], second: ['SCHEME_ADMIN'], grantee: ['STAFF'] });
    const { first, second, grantee } = org.people;
    const asserted: Caller = { ...grantee.caller, roles: ['STAFF', 'AUDITOR'] };

    // One admin's grant is only a request: the grantee has no AUDITOR yet.
    expect((await ok(platform.graphql(first.caller, ASSIGN_ROLE, { personId: grantee.globalId, role: 'AUDITOR' }))).assignRole.person.roles).toEqual(['STAFF']);
    const requested = await ok(platform.graphql(first.caller, ASSIGN, { personId: grantee.globalId, role: 'AUDITOR' }));
    expect(requested.assignRole.person.roles).toEqual(['STAFF']);
    expect(requested.assignRole.roleAssignment).toMatchObject({ role: 'AUDITOR', status: 'PENDING', grantedAt: null });
    const requestId = requested.assignRole.roleAssignment.id;

    // A request gives no access, whatever the token asserts.
    expectError(await platform.graphql(asserted, `{ auditEvents(first: 1) { totalCount } }`), 'FORBIDDEN');
    expect((await ok(platform.graphql(asserted, VIEWER))).viewer.roles).toEqual(['STAFF']);

    // Not by the admin who asked, nor by the grantee.
    expectError(await platform.graphql(first.caller, APPROVE, { id: requestId }), 'FORBIDDEN');
    expectError(await platform.graphql(asserted, APPROVE, { id: requestId }), 'FORBIDDEN');

    const pending = await ok(platform.graphql(second.caller, `{ pendingRoleAssignments(first: 10) { edges { node { id role person { displayName } requestedBy { displayName } } } } }`));
    expect(pending.pendingRoleAssignments.edges.map((edge: any) => edge.node)).toEqual([
      { id: requestId, role: 'AUDITOR', person: { displayName: 'Person grantee' }, requestedBy: { displayName: 'Person first' } },
    ]);

    const approved = await ok(platform.graphql(second.caller, APPROVE, { id: requestId }));
    expect(approved.approveRoleAssignment.roleAssignment).toMatchObject({
      id: requestId,
      status: 'ACTIVE',
      requestedBy: { displayName: 'Person first' },
      approvedBy: { displayName: 'Person second' },
    });
    expect(approved.approveRoleAssignment.person.roles).toEqual(['AUDITOR', 'STAFF']);
    expect((await ok(platform.graphql(asserted, `{ auditEvents(first: 1) { totalCount } }`))).auditEvents.totalCount).toBeGreaterThan(0);
    expectError(await platform.graphql(second.caller, APPROVE, { id: requestId }), 'CONFLICT');

    // The grantee decides nothing about their own request, and a refused request gives nothing.
    const forFirst = await ok(platform.graphql(second.caller, ASSIGN, { personId: first.globalId, role: 'AUDITOR' }));
    const firstRequest = forFirst.assignRole.roleAssignment.id;
    expectError(await platform.graphql(first.caller, APPROVE, { id: firstRequest }), 'FORBIDDEN');
    expectError(await platform.graphql(first.caller, REJECT, { id: firstRequest }), 'FORBIDDEN');
    const rejected = await ok(platform.graphql(second.caller, REJECT, { id: firstRequest, reason: 'Asked for the wrong person' }));
    expect(rejected.rejectRoleAssignment.roleAssignment).toMatchObject({ status: 'REJECTED' });
    expect(rejected.rejectRoleAssignment.person.roles).toEqual(['SCHEME_ADMIN', 'STAFF']);
    expectError(await platform.graphql(second.caller, APPROVE, { id: firstRequest }), 'CONFLICT');

    // The database holds the same line: an AUDITOR asked for through the platform is not active unapproved.
    await expect(
      asTenant(owner, org.id, () =>
        owner.query(`insert into role_assignment (tenant_id, person_id, role, requested_by) values ($1, $2, 'AUDITOR', $3)`, [org.id, first.id, second.id]),
      ),
    ).rejects.toThrow(/role_assignment_auditor_approved/);
  });

  it('revokeRole removes a role the token still asserts', async () => {
    const org = await createOrganisation('revoke', { admin: ['SCHEME_ADMIN', 'STAFF'], deputy: ['SCHEME_ADMIN', 'STAFF'] });
    const { admin, deputy } = org.people;
    expect((await ok(platform.graphql(deputy.caller, `{ people(first: 1) { totalCount } }`))).people.totalCount).toBe(2);

    await ok(platform.graphql(admin.caller, REVOKE_ROLE, { personId: deputy.globalId, role: 'SCHEME_ADMIN' }));
    // The same token, still asserting SCHEME_ADMIN, has it no more.
    expectError(await platform.graphql(deputy.caller, `{ people(first: 1) { totalCount } }`), 'FORBIDDEN');
    expect((await ok(platform.graphql(deputy.caller, VIEWER))).viewer).toMatchObject({ roles: ['STAFF'], audience: 'STAFF' });
  });

  it('refuses role and identity changes to callers without the role, and for another organisation’s records', async () => {
    const org = await createOrganisation('negative', { admin: ['SCHEME_ADMIN'], second: ['SCHEME_ADMIN'], staff: ['STAFF'], grantee: ['STAFF'] });
    const { admin, second, staff, grantee } = org.people;
    const request = (await ok(platform.graphql(admin.caller, ASSIGN, { personId: grantee.globalId, role: 'AUDITOR' }))).assignRole.roleAssignment.id;
    const unlinked = (await ok(platform.graphql(admin.caller, CREATE, { input: { displayName: 'Unlinked', workEmail: `u.${rand()}@example.org`, employmentType: 'OTHER' } })))
      .createPerson.person.id;

    // Missing role: a member of staff, and a token asserting SCHEME_ADMIN the records do not hold.
    for (const caller of [staff.caller, { ...staff.caller, roles: ['SCHEME_ADMIN', 'STAFF'] } as Caller]) {
      expectError(await platform.graphql(caller, ASSIGN, { personId: grantee.globalId, role: 'STAFF' }), 'FORBIDDEN');
      expectError(await platform.graphql(caller, APPROVE, { id: request }), 'FORBIDDEN');
      expectError(await platform.graphql(caller, REJECT, { id: request }), 'FORBIDDEN');
      expectError(await platform.graphql(caller, LINK, { personId: unlinked, subject: `s-${rand()}` }), 'FORBIDDEN');
      expectError(await platform.graphql(caller, `{ pendingRoleAssignments { totalCount } }`), 'FORBIDDEN');
      expectError(await platform.graphql(caller, `query($id: ID!) { node(id: $id) { id } }`, { id: request }), 'FORBIDDEN');
    }

    // Another organisation's admin: its ids are not found.
    expectError(await platform.graphql(fireAdmin, APPROVE, { id: request }), 'NOT_FOUND');
    expectError(await platform.graphql(fireAdmin, REJECT, { id: request }), 'NOT_FOUND');
    expectError(await platform.graphql(fireAdmin, LINK, { personId: unlinked, subject: `s-${rand()}` }), 'NOT_FOUND');
    expectError(await platform.graphql(fireAdmin, ASSIGN, { personId: grantee.globalId, role: 'STAFF' }), 'NOT_FOUND');
    expect((await ok(platform.graphql(fireAdmin, `query($id: ID!) { node(id: $id) { id } }`, { id: request }))).node).toBeNull();

    // Wrong kind of id: BAD_USER_INPUT.
    expectError(await platform.graphql(second.caller, APPROVE, { id: grantee.globalId }), 'BAD_USER_INPUT');
    const still = await ok(platform.graphql(second.caller, `query($id: ID!) { node(id: $id) { ... on RoleAssignment { status } } }`, { id: request }));
    expect(still.node).toEqual({ status: 'PENDING' });
  });
});

describe('memberships are case roles too', () => {
  it('an admin cannot enrol themselves, move their own membership or verify their own training', async () => {
    const organisation = await createOrganisation('self-enrol', { admin: ['SCHEME_ADMIN', 'STAFF'], colleague: ['SCHEME_ADMIN', 'STAFF'] });
    const { admin, colleague } = organisation.people;
    const scheme = await createTestScheme(owner, organisation.id, organisation.slug, 'self-enrol');
    const { rows } = await asTenant(owner, organisation.id, () =>
      owner.query(`insert into training_module (tenant_id, code, title, hours) values ($1, 'BASICS', 'MILO basics', 7) returning id`, [organisation.id]),
    );
    const ENROL = `mutation($input: EnrolMiloInput!) { enrolMilo(input: $input) { milo { id status } } }`;
    const enrol = (caller: Caller) =>
      platform.graphql(caller, ENROL, { input: { schemeId: toGlobalId('Scheme', scheme.schemeId), personId: admin.globalId, role: 'MILO' } });

    expectError(await enrol(admin.caller), 'FORBIDDEN');
    const enrolled = await ok(enrol(colleague.caller));
    expect(enrolled.enrolMilo.milo.status).toBe('APPLICANT');

    const move = `mutation($input: ChangeMiloStatusInput!) { changeMiloStatus(input: $input) { milo { status } } }`;
    expectError(
      await platform.graphql(admin.caller, move, { input: { miloId: enrolled.enrolMilo.milo.id, status: 'IN_TRAINING', reason: 'Starting the course' } }),
      'FORBIDDEN',
    );
    const moved = await ok(
      platform.graphql(colleague.caller, move, { input: { miloId: enrolled.enrolMilo.milo.id, status: 'IN_TRAINING', reason: 'Starting the course' } }),
    );
    expect(moved.changeMiloStatus.milo.status).toBe('IN_TRAINING');

    const record = `mutation($input: RecordTrainingInput!) { recordTraining(input: $input) { trainingRecord { id verifiedBy { id } } } }`;
    const input = { personId: admin.globalId, moduleId: toGlobalId('TrainingModule', rows[0].id), completedOn: '2026-01-05', verified: true };
    const refused = expectError(await platform.graphql(admin.caller, record, { input }), 'BAD_USER_INPUT');
    expect(refused.extensions.problems).toEqual([{ field: 'verified', message: expect.stringMatching(/own training/) }]);
    const verified = await ok(platform.graphql(colleague.caller, record, { input }));
    expect(verified.recordTraining.trainingRecord.verifiedBy).toEqual({ id: colleague.globalId });
  });
});

describe('the roles rule', () => {
  it('a token whose subject matches no person has no roles', async () => {
    const nobody: Caller = { organisation: POLICE, roles: [...ORGANISATION_ROLES], subject: `nobody-${rand()}` };
    expect((await ok(platform.graphql(nobody, VIEWER))).viewer).toEqual({ subject: nobody.subject, roles: [], audience: 'STAFF', person: null });
    expectError(await platform.graphql(nobody, `{ people { totalCount } }`), 'FORBIDDEN');
    expectError(await platform.graphql(nobody, `{ auditEvents { totalCount } }`), 'FORBIDDEN');
    expectError(await platform.graphql(nobody, `{ organisations { totalCount } }`), 'FORBIDDEN');
  });

  it("another organisation's identity provider cannot claim PLATFORM_OPERATOR", async () => {
    // Hampshire's identity provider (here the development issuer) asserts the role: for its admin,
    // and for the operator person Hampshire once had.
    for (const subject of ['hc-admin-1', 'hc-operator-1']) {
      const claimant: Caller = { organisation: POLICE, roles: ['PLATFORM_OPERATOR', 'SCHEME_ADMIN', 'STAFF'], subject };
      expectError(await platform.graphql(claimant, `{ organisations { totalCount } }`), 'FORBIDDEN');
      expect((await ok(platform.graphql(claimant, VIEWER))).viewer.roles).not.toContain('PLATFORM_OPERATOR');
    }
    // Hampshire's admins cannot record it either, and the database refuses it outright.
    expectError(await platform.graphql(policeAdmin, ASSIGN, { personId: toGlobalId('Person', demoIds.person(POLICE, 'hc-staff-4')), role: 'PLATFORM_OPERATOR' }), 'FORBIDDEN');
    const police = demoIds.organisation(POLICE);
    await expect(
      asTenant(owner, police, () =>
        owner.query(`insert into role_assignment (tenant_id, person_id, role) values ($1, $2, 'PLATFORM_OPERATOR')`, [police, demoIds.person(POLICE, 'hc-staff-4')]),
      ),
    ).rejects.toThrow(/PLATFORM_OPERATOR/);

    // The platform's own operator organisation is where it counts.
    expect((await ok(platform.graphql(operator, `{ organisations(first: 100) { totalCount } viewer { roles audience } }`))).viewer).toEqual({
      roles: ['PLATFORM_OPERATOR'],
      audience: 'PLATFORM_OPERATOR',
    });
  });
});

describe('the audit log', () => {
  it('every people and role change is in the audit log with before and after', async () => {
    const org = await createOrganisation('audit', { first: ['SCHEME_ADMIN', 'STAFF'], second: ['SCHEME_ADMIN'], dpo: ['AUDITOR'] });
    const { first, second, dpo } = org.people;
    const subject = `audited-${rand()}`;
    const email = `audited.${rand()}@example.org`;
    const created = await ok(
      platform.graphql(first.caller, CREATE, { input: { displayName: 'Audited Person', workEmail: email, employmentType: 'POLICE_OFFICER', area: 'Andover', subject, roles: ['STAFF'] } }),
    );
    const person = created.createPerson.person.id;
    await ok(
      platform.graphql(first.caller, `mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { id } } }`, {
        input: { id: person, displayName: 'Audited Person Renamed', area: 'Winchester', employmentType: 'POLICE_OFFICER' },
      }),
    );
    const early = await ok(platform.graphql(dpo.caller, `query($id: ID!) { auditEvents(filter: { entityType: "Person", entityId: $id }) { totalCount } }`, { id: person }));
    expect(early.auditEvents.totalCount).toBe(3);
    const requested = (await ok(platform.graphql(first.caller, ASSIGN, { personId: person, role: 'AUDITOR' }))).assignRole.roleAssignment.id;
    await ok(platform.graphql(second.caller, APPROVE, { id: requested }));
    await ok(platform.graphql(second.caller, REVOKE, { personId: person, role: 'AUDITOR' }));
    const again = (await ok(platform.graphql(second.caller, ASSIGN, { personId: person, role: 'AUDITOR' }))).assignRole.roleAssignment.id;
    await ok(platform.graphql(first.caller, REJECT, { id: again, reason: 'Not needed after all' }));
    await ok(platform.graphql(first.caller, ASSIGN, { personId: person, role: 'PARTNER' }));
    const relinkedTo = `relinked-${rand()}`;
    await ok(platform.graphql(operator, RELINK, { input: { organisationId: org.globalId, personId: person, subject: relinkedTo, reason: 'Reissued' } }));

    const unlinked = (await ok(platform.graphql(first.caller, CREATE, { input: { displayName: 'Linked Later', workEmail: `ll.${rand()}@example.org`, employmentType: 'OTHER' } })))
      .createPerson.person.id;
    const linkedTo = `linked-${rand()}`;
    await ok(platform.graphql(first.caller, LINK, { personId: unlinked, subject: linkedTo }));

    const EVENTS = `query($id: ID!) { auditEvents(first: 100, filter: { entityType: "Person", entityId: $id }) {
      edges { node { occurredAt action entityType entityId purpose outcome actorSubject details } } } }`;
    // Oldest first; events of one request share its transaction's time, so they are put in
    // the order of their names (PERSON_CREATED before the ROLE_GRANTED of the same request).
    const eventsOf = async (id: string) =>
      ((await ok(platform.graphql(dpo.caller, EVENTS, { id }))).auditEvents.edges as Array<{ node: any }>)
        .map((edge) => edge.node)
        .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.action.localeCompare(b.action));

    const events = await eventsOf(person);
    expect(events.map((event) => [event.action, event.actorSubject])).toEqual([
      ['PERSON_CREATED', first.subject],
      ['ROLE_GRANTED', first.subject],
      ['PERSON_UPDATED', first.subject],
      ['ROLE_GRANT_REQUESTED', first.subject],
      ['ROLE_GRANT_APPROVED', second.subject],
      ['ROLE_REVOKED', second.subject],
      ['ROLE_GRANT_REQUESTED', second.subject],
      ['ROLE_GRANT_REJECTED', first.subject],
      ['ROLE_GRANTED', first.subject],
      ['PERSON_IDENTITY_RELINKED', 'platform-operator-1'],
    ]);
    expect(events.every((event) => event.entityType === 'Person' && event.entityId === person && event.outcome === 'ALLOWED')).toBe(true);
    const [createdEvent, staffGranted, updated, auditorRequested, approved, revoked, , rejected, partnerGranted, relinked] = events;
    expect(createdEvent.details).toEqual({
      before: null,
      after: { subject, displayName: 'Audited Person', workEmail: email, employmentType: 'POLICE_OFFICER', area: 'Andover', status: 'ACTIVE' },
    });
    expect(staffGranted.details).toMatchObject({ role: 'STAFF', before: { status: null, roles: [] }, after: { status: 'ACTIVE', roles: ['STAFF'] } });
    // Only the fields that changed (employment type was given unchanged).
    expect(updated.details).toEqual({
      before: { displayName: 'Audited Person', area: 'Andover' },
      after: { displayName: 'Audited Person Renamed', area: 'Winchester' },
    });
    expect(auditorRequested.details).toMatchObject({ role: 'AUDITOR', roleAssignmentId: expect.any(String), before: { status: null, roles: ['STAFF'] }, after: { status: 'PENDING', roles: ['STAFF'] } });
    expect(approved.details).toMatchObject({ role: 'AUDITOR', before: { status: 'PENDING', roles: ['STAFF'] }, after: { status: 'ACTIVE', roles: ['AUDITOR', 'STAFF'] } });
    expect(revoked.details).toMatchObject({ role: 'AUDITOR', before: { status: 'ACTIVE', roles: ['AUDITOR', 'STAFF'] }, after: { status: 'REVOKED', roles: ['STAFF'] } });
    expect(rejected).toMatchObject({ purpose: 'Not needed after all', details: { role: 'AUDITOR', before: { status: 'PENDING' }, after: { status: 'REJECTED', roles: ['STAFF'] } } });
    expect(partnerGranted.details).toMatchObject({ role: 'PARTNER', before: { status: null, roles: ['STAFF'] }, after: { status: 'ACTIVE', roles: ['PARTNER', 'STAFF'] } });
    expect(relinked).toMatchObject({ purpose: 'Reissued', details: { before: { subject }, after: { subject: relinkedTo } } });

    const linkEvents = await eventsOf(unlinked);
    expect(linkEvents.map((event) => event.action)).toEqual(['PERSON_CREATED', 'PERSON_IDENTITY_LINKED']);
    expect(linkEvents[1].details).toEqual({ before: { subject: null }, after: { subject: linkedTo } });

    // The data protection officer finds them by action across people too.
    const byAction = await ok(platform.graphql(dpo.caller, `{ auditEvents(filter: { action: "ROLE_GRANT_APPROVED" }) { totalCount } }`));
    expect(byAction.auditEvents.totalCount).toBe(1);
  });
});
