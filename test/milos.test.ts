import { addDays, addMonths, ukDateOf } from '../src/platform/calendar';
import { FIRE, POLICE, asTenant, demoIds, expectError, toGlobalId, usePlatform, personas, type Caller } from './support/platform';

/*
 * The MILO lifecycle and the Lead MILO views, through the API as seeded and arranged users.
 * This file's schemes, modules and people are its own (arranged as the owner), so it neither
 * depends on nor disturbs the demo scheme or other test files running at the same time.
 */

const { platform, owner } = usePlatform();
const police = demoIds.organisation(POLICE);
const suffix = Math.random().toString(36).slice(2, 8);
const today = ukDateOf(new Date());
const yesterday = addDays(today, -1);
const tomorrow = addDays(today, 1);

const policeAdmin: Caller = personas.police.admin;
const policeStaff: Caller = personas.police.staff;
const fireAdmin: Caller = personas.fire.admin;
const personCaller = (subject: string): Caller => ({ organisation: POLICE, roles: ['STAFF'], subject });

const arrange = <T>(work: () => Promise<T>) => asTenant(owner, police, work);

/** A completion date whose 12-month validity ends exactly on `expiry`. */
function completedOnExpiring(expiry: string): string {
  const guess = addMonths(expiry, -12);
  for (const shift of [0, 1, 2, 3, -1, -2, -3]) {
    const completedOn = addDays(guess, shift);
    if (addMonths(completedOn, 12) === expiry) return completedOn;
  }
  throw new Error(`No 12-month completion expires on ${expiry}`);
}

let people = 0;
interface ArrangedPerson {
  id: string;
  globalId: string;
  subject: string;
  displayName: string;
}

async function createPerson(area: string | null = null): Promise<ArrangedPerson> {
  people += 1;
  const subject = `milos-test-${suffix}-${people}`;
  const displayName = `Milo Test ${suffix} ${String(people).padStart(2, '0')}`;
  const { rows } = await arrange(() =>
    owner.query(
      `insert into person (tenant_id, subject, display_name, work_email, employment_type, area)
       values ($1, $2, $3, $4, 'POLICE_OFFICER', $5) returning id`,
      [police, subject, displayName, `${subject}@hampshire.police.uk`, area],
    ),
  );
  return { id: rows[0].id, globalId: toGlobalId('Person', rows[0].id), subject, displayName };
}

async function createScheme(name: string): Promise<string> {
  const { rows } = await arrange(() =>
    owner.query(`insert into scheme (tenant_id, name, purpose, status) values ($1, $2, 'Testing the MILO lifecycle', 'ACTIVE') returning id`, [
      police,
      `${name} ${suffix}`,
    ]),
  );
  return rows[0].id;
}

async function createModule(code: string, title: string, hours: number, validityMonths: number | null): Promise<string> {
  const { rows } = await arrange(() =>
    owner.query(
      `insert into training_module (tenant_id, code, title, hours, validity_months, active) values ($1, $2, $3, $4, $5, true) returning id`,
      [police, `${code}-${suffix}`.toUpperCase(), title, hours, validityMonths],
    ),
  );
  return rows[0].id;
}

async function requireModule(schemeId: string, role: 'MILO' | 'LEAD_MILO', title: string, moduleIds: string[]): Promise<void> {
  await arrange(() =>
    owner.query(`insert into training_requirement (tenant_id, scheme_id, role_code, kind, title, module_ids) values ($1, $2, $3, 'MODULE', $4, $5)`, [
      police,
      schemeId,
      role,
      title,
      moduleIds,
    ]),
  );
}

async function requireHours(schemeId: string, role: 'MILO' | 'LEAD_MILO', title: string, hours: number): Promise<void> {
  await arrange(() =>
    owner.query(
      `insert into training_requirement (tenant_id, scheme_id, role_code, kind, title, minimum_hours) values ($1, $2, $3, 'MINIMUM_HOURS', $4, $5)`,
      [police, schemeId, role, title, hours],
    ),
  );
}

async function addRecord(personId: string, moduleId: string, completedOn: string): Promise<void> {
  await arrange(() =>
    owner.query(`insert into training_record (tenant_id, person_id, module_id, completed_on) values ($1, $2, $3, $4)`, [police, personId, moduleId, completedOn]),
  );
}

/** A membership written straight into the tables, as if its moves had happened long ago. */
async function arrangeMilo(options: {
  schemeId: string;
  personId: string;
  role?: 'MILO' | 'LEAD_MILO';
  status: string;
  since: string;
  area?: string | null;
  leadId?: string | null;
}): Promise<{ id: string; globalId: string }> {
  const { rows } = await arrange(async () => {
    const inserted = await owner.query(
      `insert into milo (tenant_id, scheme_id, person_id, role_code, status, status_since, area, lead_milo_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
      [police, options.schemeId, options.personId, options.role ?? 'MILO', options.status, options.since, options.area ?? null, options.leadId ?? null],
    );
    await owner.query(
      `insert into milo_status_change (tenant_id, milo_id, from_status, to_status, effective_on, reason, changed_at)
       values ($1, $2, 'IN_TRAINING', $3, $4, 'Arranged by the test', $4::date)`,
      [police, inserted.rows[0].id, options.status, options.since],
    );
    return inserted;
  });
  return { id: rows[0].id, globalId: toGlobalId('Milo', rows[0].id) };
}

async function storedState(miloGlobalId: string): Promise<{ status: string; history: number }> {
  const id = Buffer.from(miloGlobalId, 'base64url').toString('utf8').split(':')[1];
  const { rows } = await arrange(() =>
    owner.query(
      `select m.status, (select count(*)::int from milo_status_change h where h.tenant_id = m.tenant_id and h.milo_id = m.id) as history
         from milo m where m.tenant_id = $1 and m.id = $2`,
      [police, id],
    ),
  );
  return rows[0];
}

const MILO_FIELDS = `id status recordedStatus statusSince area capacity role person { displayName } lead { id }
  statusHistory { fromStatus toStatus effectiveOn reason changedBy { displayName } changedAt }`;
const ENROL = `mutation($input: EnrolMiloInput!) { enrolMilo(input: $input) { milo { ${MILO_FIELDS} } } }`;
const CHANGE = `mutation($input: ChangeMiloStatusInput!) { changeMiloStatus(input: $input) {
  milo { ${MILO_FIELDS} } statusChanges { fromStatus toStatus effectiveOn reason changedBy { displayName } } } }`;
const UPDATE = `mutation($input: UpdateMiloInput!) { updateMilo(input: $input) { milo { area capacity lead { id } } } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on Milo { ${MILO_FIELDS} eligibility { eligible nextLapseOn unmet { title reason expiredOn hoursShort } } } } }`;

const change = (caller: Caller, miloId: string, status: string, reason = `Moved to ${status} by the test`) =>
  platform.graphql(caller, CHANGE, { input: { miloId, status, reason } });

// The main scheme: MILOs need mental-health awareness (12 months); Lead MILOs also need the
// leadership course and at least six hours of in-date training.
let schemeId: string;
let schemeGlobalId: string;
let awareness: string;
let leadership: string;

beforeAll(async () => {
  schemeId = await createScheme('Lifecycle scheme');
  schemeGlobalId = toGlobalId('Scheme', schemeId);
  awareness = await createModule('MHA', 'Mental health awareness', 3, 12);
  leadership = await createModule('LEAD', 'Leading a MILO team', 4, null);
  await requireModule(schemeId, 'MILO', 'Mental health awareness', [awareness]);
  await requireModule(schemeId, 'LEAD_MILO', 'Mental health awareness', [awareness]);
  await requireModule(schemeId, 'LEAD_MILO', 'Leading a MILO team', [leadership]);
  await requireHours(schemeId, 'LEAD_MILO', 'Minimum training hours', 6);
});

describe('the MILO lifecycle', () => {
  it('takes an applicant through training to active, suspended, active again and withdrawn, keeping who, when and why', async () => {
    const person = await createPerson('Basingstoke');
    const enrolled = await platform.graphql(policeAdmin, ENROL, { input: { schemeId: schemeGlobalId, personId: person.globalId, role: 'MILO' } });
    expect(enrolled.errors).toBeUndefined();
    const milo = enrolled.data!.enrolMilo.milo;
    expect(milo).toMatchObject({ status: 'APPLICANT', recordedStatus: 'APPLICANT', statusSince: today, area: 'Basingstoke', capacity: 5, role: 'MILO', lead: null });
    expect(milo.statusHistory).toEqual([
      expect.objectContaining({ fromStatus: null, toStatus: 'APPLICANT', effectiveOn: today, changedBy: { displayName: 'Sam Patel' } }),
    ]);

    expect((await change(policeAdmin, milo.id, 'IN_TRAINING', 'Booked on the awareness course')).errors).toBeUndefined();
    await addRecord(person.id, awareness, addMonths(today, -1));
    for (const status of ['ACTIVE', 'SUSPENDED', 'ACTIVE']) {
      const moved = await change(policeAdmin, milo.id, status);
      expect(moved.errors).toBeUndefined();
      expect(moved.data!.changeMiloStatus.milo.status).toBe(status);
    }
    const withdrawn = await change(policeAdmin, milo.id, 'WITHDRAWN', 'Moved to a role outside the scheme');
    const final = withdrawn.data!.changeMiloStatus.milo;
    expect(final.status).toBe('WITHDRAWN');
    expect(final.statusHistory.map((row: any) => [row.fromStatus, row.toStatus])).toEqual([
      [null, 'APPLICANT'],
      ['APPLICANT', 'IN_TRAINING'],
      ['IN_TRAINING', 'ACTIVE'],
      ['ACTIVE', 'SUSPENDED'],
      ['SUSPENDED', 'ACTIVE'],
      ['ACTIVE', 'WITHDRAWN'],
    ]);
    expect(final.statusHistory[1].reason).toBe('Booked on the awareness course');
    expect(final.statusHistory.at(-1)).toMatchObject({ reason: 'Moved to a role outside the scheme', effectiveOn: today, changedBy: { displayName: 'Sam Patel' } });

    expectError(await change(policeAdmin, milo.id, 'ACTIVE'), 'BAD_USER_INPUT');
    const { rows } = await arrange(() =>
      owner.query(`select action, count(*)::int as n from audit_event where tenant_id = $1 and entity_id = $2 group by action order by action`, [
        police,
        Buffer.from(milo.id, 'base64url').toString('utf8').split(':')[1],
      ]),
    );
    expect(rows).toEqual([
      { action: 'MILO_ENROLLED', n: 1 },
      { action: 'MILO_STATUS_CHANGED', n: 5 },
    ]);
  });

  it('refuses activation while requirements are unmet, listing each one, and changes nothing', async () => {
    const person = await createPerson('Southampton Central');
    await addRecord(person.id, awareness, addMonths(today, -14));
    const enrolled = await platform.graphql(policeAdmin, ENROL, { input: { schemeId: schemeGlobalId, personId: person.globalId, role: 'LEAD_MILO', capacity: 8 } });
    const miloId = enrolled.data!.enrolMilo.milo.id;
    await change(policeAdmin, miloId, 'IN_TRAINING');
    const before = await storedState(miloId);

    const refused = await change(policeAdmin, miloId, 'ACTIVE');
    const error = expectError(refused, 'BAD_USER_INPUT');
    const expiredOn = addMonths(addMonths(today, -14), 12);
    expect(error.extensions.unmet).toEqual([
      { title: 'Leading a MILO team', reason: 'MISSING', expiredOn: null, hoursShort: null },
      { title: 'Mental health awareness', reason: 'EXPIRED', expiredOn, hoursShort: null },
      { title: 'Minimum training hours', reason: 'HOURS_SHORT', expiredOn: null, hoursShort: 6 },
    ]);
    expect(error.message).toContain('Leading a MILO team (not completed)');
    expect(error.message).toContain(`Mental health awareness (expired on ${expiredOn})`);
    expect(error.message).toContain('Minimum training hours (6 hours short)');
    expect(await storedState(miloId)).toEqual(before);
    expect(before).toEqual({ status: 'IN_TRAINING', history: 2 });
  });

  it('refuses moves the lifecycle does not allow, a blank reason, and a second membership of the same scheme', async () => {
    const person = await createPerson();
    const enrolled = await platform.graphql(policeAdmin, ENROL, { input: { schemeId: schemeGlobalId, personId: person.globalId, role: 'MILO', area: '  ' } });
    const milo = enrolled.data!.enrolMilo.milo;
    expect(milo.area).toBeNull();
    const skipped = expectError(await change(policeAdmin, milo.id, 'ACTIVE'), 'BAD_USER_INPUT');
    expect(skipped.message).toBe('A MILO cannot move from APPLICANT to ACTIVE');
    expectError(await change(policeAdmin, milo.id, 'IN_TRAINING', '   '), 'BAD_USER_INPUT');
    expectError(await change(policeAdmin, milo.id, 'IN_TRAINING', 'x'.repeat(2001)), 'BAD_USER_INPUT');
    expectError(
      await platform.graphql(policeAdmin, ENROL, { input: { schemeId: schemeGlobalId, personId: person.globalId, role: 'LEAD_MILO' } }),
      'CONFLICT',
    );
    expectError(
      await platform.graphql(policeAdmin, ENROL, { input: { schemeId: schemeGlobalId, personId: person.globalId, role: 'MILO', capacity: 101 } }),
      'BAD_USER_INPUT',
    );
    expect(await storedState(milo.id)).toEqual({ status: 'APPLICANT', history: 1 });
  });
});

describe('lapsing without anyone pressing a button', () => {
  it('reads a MILO whose only required module expired yesterday as LAPSED, and one expiring tomorrow as ACTIVE', async () => {
    const expired = await createPerson();
    const expiring = await createPerson();
    const expiredOn = completedOnExpiring(yesterday);
    const expiringOn = completedOnExpiring(tomorrow);
    await addRecord(expired.id, awareness, expiredOn);
    await addRecord(expiring.id, awareness, expiringOn);
    const lapsed = await arrangeMilo({ schemeId, personId: expired.id, status: 'ACTIVE', since: expiredOn });
    const active = await arrangeMilo({ schemeId, personId: expiring.id, status: 'ACTIVE', since: expiringOn });

    const lapsedRead = await platform.graphql(policeAdmin, NODE, { id: lapsed.globalId });
    expect(lapsedRead.errors).toBeUndefined();
    expect(lapsedRead.data!.node).toMatchObject({
      status: 'LAPSED',
      recordedStatus: 'ACTIVE',
      eligibility: { eligible: false, unmet: [{ title: 'Mental health awareness', reason: 'EXPIRED', expiredOn: yesterday, hoursShort: null }] },
    });
    const activeRead = await platform.graphql(policeAdmin, NODE, { id: active.globalId });
    expect(activeRead.data!.node).toMatchObject({ status: 'ACTIVE', recordedStatus: 'ACTIVE', eligibility: { eligible: true, nextLapseOn: tomorrow } });
  });

  it('records the lapse, dated the day the training ran out, before reactivating after a new record', async () => {
    const person = await createPerson();
    const completedOn = completedOnExpiring(yesterday);
    await addRecord(person.id, awareness, completedOn);
    const milo = await arrangeMilo({ schemeId, personId: person.id, status: 'ACTIVE', since: completedOn });

    const refused = expectError(await change(policeAdmin, milo.globalId, 'ACTIVE', 'Back on duty'), 'BAD_USER_INPUT');
    expect(refused.extensions.unmet).toEqual([{ title: 'Mental health awareness', reason: 'EXPIRED', expiredOn: yesterday, hoursShort: null }]);
    expect(await storedState(milo.globalId)).toEqual({ status: 'ACTIVE', history: 1 });
    // Suspending is not a move from LAPSED, the status as of today.
    expectError(await change(policeAdmin, milo.globalId, 'SUSPENDED'), 'BAD_USER_INPUT');

    await addRecord(person.id, awareness, today);
    // Eligible again, but the lapse sticks until someone reactivates the MILO.
    const refreshed = await platform.graphql(policeAdmin, NODE, { id: milo.globalId });
    expect(refreshed.data!.node).toMatchObject({ status: 'LAPSED', recordedStatus: 'ACTIVE', eligibility: { eligible: true } });
    const reactivated = await change(policeAdmin, milo.globalId, 'ACTIVE', 'Refresher completed');
    expect(reactivated.errors).toBeUndefined();
    const payload = reactivated.data!.changeMiloStatus;
    expect(payload.statusChanges).toEqual([
      { fromStatus: 'ACTIVE', toStatus: 'LAPSED', effectiveOn: yesterday, reason: 'Training requirement expired', changedBy: null },
      { fromStatus: 'LAPSED', toStatus: 'ACTIVE', effectiveOn: today, reason: 'Refresher completed', changedBy: { displayName: 'Sam Patel' } },
    ]);
    expect(payload.milo).toMatchObject({ status: 'ACTIVE', recordedStatus: 'ACTIVE', statusSince: today });
    expect(payload.milo.statusHistory.map((row: any) => row.toStatus)).toEqual(['ACTIVE', 'LAPSED', 'ACTIVE']);
  });
});

describe('Lead MILOs', () => {
  let lead: ArrangedPerson;
  let leadMilo: string;
  let member: ArrangedPerson;
  let memberMilo: string;
  let otherMilo: ArrangedPerson;
  let otherMiloId: string;

  beforeAll(async () => {
    lead = await createPerson('Portsmouth');
    await addRecord(lead.id, awareness, addMonths(today, -2));
    await addRecord(lead.id, leadership, addMonths(today, -2));
    const enrolledLead = await platform.graphql(policeAdmin, ENROL, { input: { schemeId: schemeGlobalId, personId: lead.globalId, role: 'LEAD_MILO' } });
    leadMilo = enrolledLead.data!.enrolMilo.milo.id;
    await change(policeAdmin, leadMilo, 'IN_TRAINING');
    expect((await change(policeAdmin, leadMilo, 'ACTIVE')).errors).toBeUndefined();

    member = await createPerson('Portsmouth');
    const enrolledMember = await platform.graphql(policeAdmin, ENROL, {
      input: { schemeId: schemeGlobalId, personId: member.globalId, role: 'MILO', leadMiloId: leadMilo, capacity: 3 },
    });
    expect(enrolledMember.data!.enrolMilo.milo.lead).toEqual({ id: leadMilo });
    memberMilo = enrolledMember.data!.enrolMilo.milo.id;

    otherMilo = await createPerson('Fareham');
    await addRecord(otherMilo.id, awareness, addMonths(today, -1));
    otherMiloId = (await arrangeMilo({ schemeId, personId: otherMilo.id, status: 'ACTIVE', since: today, area: 'Fareham' })).globalId;
  });

  it('may move the MILOs of their scheme, and the history says who', async () => {
    const moved = await change(personCaller(lead.subject), memberMilo, 'IN_TRAINING', 'Started the course');
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.changeMiloStatus.statusChanges).toEqual([
      { fromStatus: 'APPLICANT', toStatus: 'IN_TRAINING', effectiveOn: today, reason: 'Started the course', changedBy: { displayName: lead.displayName } },
    ]);
  });

  it('sees their team, the scheme list and people’s memberships, but may not enrol, edit or move themself', async () => {
    const leadCaller = personCaller(lead.subject);
    const team = await platform.graphql(leadCaller, `query($id: ID!) { node(id: $id) { ... on Milo { team { id capacity person { displayName } } } } }`, { id: leadMilo });
    expect(team.data!.node.team).toEqual([{ id: memberMilo, capacity: 3, person: { displayName: member.displayName } }]);
    const list = await platform.graphql(leadCaller, `query($id: ID!, $lead: ID!) { milos(schemeId: $id, filter: { leadMiloId: $lead }) { totalCount edges { node { id } } } }`, {
      id: schemeGlobalId,
      lead: leadMilo,
    });
    expect(list.data!.milos).toEqual({ totalCount: 1, edges: [{ node: { id: memberMilo } }] });
    const memberships = await platform.graphql(leadCaller, `query($id: ID!) { node(id: $id) { ... on Milo { person { miloMemberships { id } } } } }`, { id: memberMilo });
    expect(memberships.data!.node.person.miloMemberships).toEqual([{ id: memberMilo }]);

    expectError(await platform.graphql(leadCaller, ENROL, { input: { schemeId: schemeGlobalId, personId: otherMilo.globalId, role: 'MILO' } }), 'FORBIDDEN');
    expectError(await platform.graphql(leadCaller, UPDATE, { input: { miloId: memberMilo, capacity: 10 } }), 'FORBIDDEN');
    expectError(await change(leadCaller, leadMilo, 'SUSPENDED'), 'FORBIDDEN');
  });

  it('is refused to a MILO who is not a Lead and to staff, writing nothing', async () => {
    const before = await storedState(memberMilo);
    expectError(await change(personCaller(otherMilo.subject), memberMilo, 'WITHDRAWN'), 'FORBIDDEN');
    expectError(await change(policeStaff, memberMilo, 'WITHDRAWN'), 'FORBIDDEN');
    expectError(await platform.graphql(policeStaff, `query($id: ID!) { milos(schemeId: $id) { totalCount } }`, { id: schemeGlobalId }), 'FORBIDDEN');
    expectError(await platform.graphql(policeStaff, `query($id: ID!) { node(id: $id) { id } }`, { id: memberMilo }), 'FORBIDDEN');
    expectError(await platform.graphql(personCaller(otherMilo.subject), `query($id: ID!) { node(id: $id) { id } }`, { id: memberMilo }), 'FORBIDDEN');
    expect(await storedState(memberMilo)).toEqual(before);
  });

  it('lets a MILO read their own membership, but not their Lead’s', async () => {
    const self = await platform.graphql(personCaller(otherMilo.subject), `{ viewer { person { miloMemberships { id status role area } } } }`);
    expect(self.data!.viewer.person.miloMemberships).toEqual([{ id: otherMiloId, status: 'ACTIVE', role: 'MILO', area: 'Fareham' }]);
    const own = await platform.graphql(personCaller(member.subject), `query($id: ID!) { node(id: $id) { ... on Milo { status lead { id } } } }`, { id: memberMilo });
    expectError(own, 'FORBIDDEN');
    expect(own.data!.node).toEqual({ status: 'IN_TRAINING', lead: null });
  });

  it('lets an admin change area, capacity and Lead, refusing a Lead from outside the scheme', async () => {
    const updated = await platform.graphql(policeAdmin, UPDATE, { input: { miloId: otherMiloId, area: 'Havant', capacity: 0, leadMiloId: leadMilo } });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateMilo.milo).toEqual({ area: 'Havant', capacity: 0, lead: { id: leadMilo } });
    expectError(await platform.graphql(policeAdmin, UPDATE, { input: { miloId: otherMiloId, leadMiloId: memberMilo } }), 'BAD_USER_INPUT');
    expectError(await platform.graphql(policeAdmin, UPDATE, { input: { miloId: leadMilo, leadMiloId: leadMilo } }), 'BAD_USER_INPUT');
    const cleared = await platform.graphql(policeAdmin, UPDATE, { input: { miloId: otherMiloId, leadMiloId: null } });
    expect(cleared.data!.updateMilo.milo).toEqual({ area: 'Havant', capacity: 0, lead: null });
  });

  it('loses the Lead’s powers the day the Lead is suspended', async () => {
    expect((await change(policeAdmin, leadMilo, 'SUSPENDED', 'Under review')).errors).toBeUndefined();
    expectError(await change(personCaller(lead.subject), memberMilo, 'WITHDRAWN'), 'FORBIDDEN');
    expectError(await platform.graphql(personCaller(lead.subject), `query($id: ID!) { milos(schemeId: $id) { totalCount } }`, { id: schemeGlobalId }), 'FORBIDDEN');
    expect((await change(policeAdmin, leadMilo, 'ACTIVE', 'Review closed')).errors).toBeUndefined();
  });
});

describe('another organisation', () => {
  let policeMilo: string;
  let policePerson: ArrangedPerson;

  beforeAll(async () => {
    policePerson = await createPerson();
    const enrolled = await platform.graphql(policeAdmin, ENROL, { input: { schemeId: schemeGlobalId, personId: policePerson.globalId, role: 'MILO' } });
    policeMilo = enrolled.data!.enrolMilo.milo.id;
  });

  it('cannot read police MILOs through milos, node(id:), coverage or the expiring list', async () => {
    expectError(await platform.graphql(fireAdmin, `query($id: ID!) { milos(schemeId: $id) { totalCount } }`, { id: schemeGlobalId }), 'NOT_FOUND');
    expectError(await platform.graphql(fireAdmin, `query($id: ID!) { milosWithTrainingExpiring(schemeId: $id, withinDays: 30) { lapsesOn } }`, { id: schemeGlobalId }), 'NOT_FOUND');
    const node = await platform.graphql(fireAdmin, `query($id: ID!) { node(id: $id) { id ... on Milo { status } } }`, { id: policeMilo });
    expect(node.errors).toBeUndefined();
    expect(node.data!.node).toBeNull();
    const scheme = await platform.graphql(fireAdmin, `query($id: ID!) { node(id: $id) { ... on Scheme { coverage { activeMilos } } } }`, { id: schemeGlobalId });
    expect(scheme.data!.node).toBeNull();
  });

  it('cannot enrol a police person, nor change or edit a police MILO, and writes nothing', async () => {
    const before = await storedState(policeMilo);
    const fireScheme = toGlobalId('Scheme', demoIds.scheme(FIRE));
    expectError(await platform.graphql(fireAdmin, ENROL, { input: { schemeId: fireScheme, personId: policePerson.globalId, role: 'MILO' } }), 'NOT_FOUND');
    expectError(await platform.graphql(fireAdmin, ENROL, { input: { schemeId: schemeGlobalId, personId: policePerson.globalId, role: 'MILO' } }), 'NOT_FOUND');
    expectError(await change(fireAdmin, policeMilo, 'WITHDRAWN'), 'NOT_FOUND');
    expectError(await platform.graphql(fireAdmin, UPDATE, { input: { miloId: policeMilo, capacity: 1 } }), 'NOT_FOUND');
    expect(await storedState(policeMilo)).toEqual(before);
    const { rows } = await asTenant(owner, demoIds.organisation(FIRE), () =>
      owner.query(`select count(*)::int as n from milo where person_id = $1`, [policePerson.id]),
    );
    expect(rows[0].n).toBe(0);
  });
});

describe('coverage, expiring training and the filtered list', () => {
  // A scheme arranged row by row, so every figure below is known.
  let coverageScheme: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const scheme = await createScheme('Coverage scheme');
    coverageScheme = toGlobalId('Scheme', scheme);
    const module = await createModule('COV', 'Coverage awareness', 2, 12);
    await requireModule(scheme, 'MILO', 'Coverage awareness', [module]);
    await requireModule(scheme, 'LEAD_MILO', 'Coverage awareness', [module]);
    const member = async (
      name: string,
      options: { status: string; area: string | null; role?: 'MILO' | 'LEAD_MILO'; completedOn?: string; lead?: string },
    ) => {
      const person = await createPerson(options.area);
      if (options.completedOn) await addRecord(person.id, module, options.completedOn);
      const milo = await arrangeMilo({
        schemeId: scheme,
        personId: person.id,
        role: options.role,
        status: options.status,
        since: options.completedOn ?? today,
        area: options.area,
        leadId: options.lead ? ids[options.lead].split('|')[0] : null,
      });
      ids[name] = `${milo.id}|${milo.globalId}`;
    };
    await member('lead', { status: 'ACTIVE', area: 'Basingstoke', role: 'LEAD_MILO', completedOn: addMonths(today, -1) });
    await member('active', { status: 'ACTIVE', area: 'Basingstoke', completedOn: addMonths(today, -1), lead: 'lead' });
    await member('lapsed', { status: 'ACTIVE', area: 'Basingstoke', completedOn: completedOnExpiring(yesterday), lead: 'lead' });
    await member('soon', { status: 'ACTIVE', area: 'Newport, Isle of Wight', completedOn: completedOnExpiring(addDays(today, 10)) });
    await member('suspended', { status: 'SUSPENDED', area: 'Newport, Isle of Wight', completedOn: addMonths(today, -1) });
    await member('training', { status: 'IN_TRAINING', area: 'Portsmouth' });
    await member('noArea', { status: 'ACTIVE', area: null, completedOn: completedOnExpiring(addDays(today, 40)) });
    await member('withdrawn', { status: 'WITHDRAWN', area: 'Andover' });
  });

  const globalIdOf = (name: string) => ids[name].split('|')[1];

  it('counts active MILOs and Lead MILOs by area in one query, showing areas with nobody active', async () => {
    const response = await platform.graphql(
      policeAdmin,
      `query($id: ID!) { node(id: $id) { ... on Scheme { name coverage { activeMilos activeLeadMilos areas { area activeMilos activeLeadMilos } } } } }`,
      { id: coverageScheme },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.node.coverage).toEqual({
      activeMilos: 4,
      activeLeadMilos: 1,
      areas: [
        { area: 'Basingstoke', activeMilos: 2, activeLeadMilos: 1 },
        { area: 'Newport, Isle of Wight', activeMilos: 1, activeLeadMilos: 0 },
        { area: 'Portsmouth', activeMilos: 0, activeLeadMilos: 0 },
        { area: null, activeMilos: 1, activeLeadMilos: 0 },
      ],
    });
    expectError(await platform.graphql(policeStaff, `query($id: ID!) { node(id: $id) { ... on Scheme { coverage { activeMilos } } } }`, { id: coverageScheme }), 'FORBIDDEN');
  });

  it('lists the ACTIVE MILOs whose training runs out within N days, soonest first', async () => {
    const query = `query($id: ID!, $days: Int!) { milosWithTrainingExpiring(schemeId: $id, withinDays: $days) { milo { id status } lapsesOn daysLeft } }`;
    const month = await platform.graphql(policeAdmin, query, { id: coverageScheme, days: 30 });
    expect(month.errors).toBeUndefined();
    expect(month.data!.milosWithTrainingExpiring).toEqual([{ milo: { id: globalIdOf('soon'), status: 'ACTIVE' }, lapsesOn: addDays(today, 10), daysLeft: 10 }]);
    const longer = await platform.graphql(policeAdmin, query, { id: coverageScheme, days: 45 });
    expect(longer.data!.milosWithTrainingExpiring.map((row: any) => [row.milo.id, row.daysLeft])).toEqual([
      [globalIdOf('soon'), 10],
      [globalIdOf('noArea'), 40],
    ]);
    expectError(await platform.graphql(policeAdmin, query, { id: coverageScheme, days: 0 }), 'BAD_USER_INPUT');
    expectError(await platform.graphql(policeAdmin, query, { id: coverageScheme, days: 366 }), 'BAD_USER_INPUT');
  });

  it('filters the list on the status as of today, page by page', async () => {
    const query = `query($id: ID!, $filter: MilosFilter, $first: Int, $after: String) {
      milos(schemeId: $id, filter: $filter, first: $first, after: $after) { totalCount edges { node { id status area } } pageInfo { hasNextPage endCursor } } }`;
    const lapsed = await platform.graphql(policeAdmin, query, { id: coverageScheme, filter: { status: 'LAPSED' } });
    expect(lapsed.errors).toBeUndefined();
    expect(lapsed.data!.milos.edges).toEqual([{ node: { id: globalIdOf('lapsed'), status: 'LAPSED', area: 'Basingstoke' } }]);

    const first = await platform.graphql(policeAdmin, query, { id: coverageScheme, filter: { status: 'ACTIVE' }, first: 3 });
    expect(first.data!.milos.totalCount).toBe(4);
    expect(first.data!.milos.pageInfo.hasNextPage).toBe(true);
    const rest = await platform.graphql(policeAdmin, query, { id: coverageScheme, filter: { status: 'ACTIVE' }, first: 3, after: first.data!.milos.pageInfo.endCursor });
    const pages = [...first.data!.milos.edges, ...rest.data!.milos.edges].map((edge: any) => edge.node);
    expect(rest.data!.milos.pageInfo.hasNextPage).toBe(false);
    expect(pages.map((node: any) => node.id).sort()).toEqual(['lead', 'active', 'soon', 'noArea'].map(globalIdOf).sort());
    expect(pages.every((node: any) => node.status === 'ACTIVE')).toBe(true);

    const all = await platform.graphql(policeAdmin, query, { id: coverageScheme, first: 100 });
    expect(all.data!.milos.totalCount).toBe(8);
    expect(all.data!.milos.edges.map((edge: any) => edge.node.area)).toEqual([
      null,
      'Andover',
      'Basingstoke',
      'Basingstoke',
      'Basingstoke',
      'Newport, Isle of Wight',
      'Newport, Isle of Wight',
      'Portsmouth',
    ]);
    const suspended = await platform.graphql(policeAdmin, query, { id: coverageScheme, filter: { status: 'SUSPENDED', area: 'Newport, Isle of Wight' } });
    expect(suspended.data!.milos.edges.map((edge: any) => edge.node.id)).toEqual([globalIdOf('suspended')]);
    const team = await platform.graphql(policeAdmin, query, { id: coverageScheme, filter: { leadMiloId: globalIdOf('lead'), role: 'MILO' } });
    expect(team.data!.milos.edges.map((edge: any) => edge.node.id).sort()).toEqual([globalIdOf('active'), globalIdOf('lapsed')].sort());
  });

  it('gives a Lead MILO of this scheme the same views, and a Lead of another scheme none', async () => {
    const { rows } = await arrange(() => owner.query(`select p.subject from milo m join person p on p.tenant_id = m.tenant_id and p.id = m.person_id where m.tenant_id = $1 and m.id = $2`, [police, ids.lead.split('|')[0]]));
    const coverageLead = personCaller(rows[0].subject);
    const view = await platform.graphql(coverageLead, `query($id: ID!) { milos(schemeId: $id, filter: { status: LAPSED }) { totalCount } node(id: $id) { ... on Scheme { coverage { activeMilos } } } }`, {
      id: coverageScheme,
    });
    expect(view.errors).toBeUndefined();
    expect(view.data).toEqual({ milos: { totalCount: 1 }, node: { coverage: { activeMilos: 4 } } });
    // Leading the coverage scheme gives no view of the lifecycle scheme.
    expectError(await platform.graphql(coverageLead, `query($id: ID!) { milos(schemeId: $id) { totalCount } }`, { id: schemeGlobalId }), 'FORBIDDEN');
  });
});
