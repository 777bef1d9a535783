import { Client } from 'pg';
import { addDays, ukDateOf } from '../src/platform/calendar';
import {
  FIRE,
  OCCUPATIONAL_HEALTH,
  POLICE,
  asTenant,
  demoIds,
  toGlobalId,
  usePlatform,
  personas,
  type Caller,
} from './support/platform';
import { createAgreement, createTestScheme, createTestUnit, type TestScheme, type TestUnit } from './support/partner-unit';

/*
 * The partner policies proven in PostgreSQL itself, as the application role with a partner's
 * context: whatever a resolver does, the database alone returns to the occupational-health
 * unit only the referrals sent to it (while the sender's agreement grants them) and its own
 * services, and nothing else of police or fire; police and fire read the unit's services and
 * cannot change them. The API is checked for the same at the end.
 *
 * Rows are arranged in schemes of this file's own (no seeded queue or caseload moves); the
 * referrals to the seeded unit go under the seeded agreements, which this file never changes.
 * What it revokes and expires are agreements with throwaway organisations of its own.
 */

const police = demoIds.organisation(POLICE);
const fire = demoIds.organisation(FIRE);
const unit = demoIds.organisation(OCCUPATIONAL_HEALTH);
const today = ukDateOf(new Date());

const { platform, owner } = usePlatform({
  beforeClose: async () => {
    await app.end();
  },
});
let app: Client;
let policeScheme: TestScheme;
let fireScheme: TestScheme;
let elsewhere: TestUnit;
const arranged = {
  policeRequest: '',
  policeContact: '',
  policeColleague: '',
  fireRequest: '',
  policeReferral: '',
  fireReferral: '',
  policeReferralElsewhere: '',
};

/** Runs work as the application role with a tenant context, then rolls everything back. */
async function asApp<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
  await app.query('begin');
  try {
    await app.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
    return await work();
  } finally {
    await app.query('rollback');
  }
}

/** The error PostgreSQL raises for a statement, or null when it succeeds. */
async function refusal(sql: string, parameters: unknown[]): Promise<string | null> {
  await app.query('savepoint attempt');
  try {
    await app.query(sql, parameters);
    await app.query('release savepoint attempt');
    return null;
  } catch (error) {
    await app.query('rollback to savepoint attempt');
    return (error as { code?: string }).code ?? 'unknown';
  }
}

async function insertReferral(scheme: TestScheme, request: string, agreementId: string, target: string, serviceId: string, referredBy: string): Promise<string> {
  const { rows } = await asTenant(owner, scheme.tenantId, () =>
    owner.query(
      `insert into referral (tenant_id, support_request_id, agreement_id, target_organisation_id, service_id, service_name, referred_by, urgency,
                             consent_confirmed, colleague_name, reason, status)
       values ($1, $2, $3, $4, $5, 'Occupational Health referral', $6, 'SOON', true, 'Named colleague', 'A reason', 'SENT') returning id`,
      [scheme.tenantId, request, agreementId, target, serviceId, referredBy],
    ),
  );
  return rows[0].id;
}

beforeAll(async () => {
  app = new Client({ connectionString: process.env.TEST_APP_URL });
  await app.connect();

  policeScheme = await createTestScheme(owner, police, POLICE, 'policies-police');
  fireScheme = await createTestScheme(owner, fire, FIRE, 'policies-fire');
  const policeMilo = await policeScheme.addMilo('milo');
  const policeColleague = await policeScheme.addPerson('colleague');
  const fireMilo = await fireScheme.addMilo('milo');
  const fireColleague = await fireScheme.addPerson('colleague');
  arranged.policeColleague = policeColleague.id;
  arranged.policeRequest = await policeScheme.addRequest({ requesterId: policeColleague.id, miloId: policeMilo.id });
  arranged.fireRequest = await fireScheme.addRequest({ requesterId: fireColleague.id, miloId: fireMilo.id });
  const contact = await asTenant(owner, police, () =>
    owner.query(
      `insert into support_contact (tenant_id, support_request_id, milo_id, contact_on, minutes, theme_codes, outcome_code, note, created_by)
       values ($1, $2, $3, $4, 30, '{WORK_STRESS}', 'REFERRED', 'A private note', $5) returning id`,
      [police, arranged.policeRequest, policeMilo.id, today, policeMilo.personId],
    ),
  );
  arranged.policeContact = contact.rows[0].id;

  const ohReferral = demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-referral');
  arranged.policeReferral = await insertReferral(policeScheme, arranged.policeRequest, demoIds.agreement(POLICE, OCCUPATIONAL_HEALTH), unit, ohReferral, policeMilo.personId);
  arranged.fireReferral = await insertReferral(fireScheme, arranged.fireRequest, demoIds.agreement(FIRE, OCCUPATIONAL_HEALTH), unit, ohReferral, fireMilo.personId);

  // A referral from police to another organisation, which the unit must not see.
  elsewhere = await createTestUnit(owner, 'policies-elsewhere');
  const toElsewhere = await createAgreement(platform, personas.police.admin, elsewhere.id, [
    { resource: 'REFERRAL', actions: ['READ', 'CONTRIBUTE'] },
  ]);
  arranged.policeReferralElsewhere = await insertReferral(policeScheme, arranged.policeRequest, toElsewhere.id, elsewhere.id, ohReferral, policeMilo.personId);
});

describe('the occupational-health unit’s context, as the application role', () => {
  it('connects as the application role, which cannot bypass row-level security', async () => {
    const { rows } = await app.query(`select rolsuper, rolbypassrls from pg_roles where rolname = current_user`);
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
  });

  it('sees none of police’s or fire’s support requests, contacts or people', async () => {
    await asApp(unit, async () => {
      for (const table of ['support_request', 'support_contact', 'support_assignment', 'support_signposting', 'advice_request', 'person', 'milo', 'feedback', 'scheme']) {
        const { rows } = await app.query(`select distinct tenant_id from ${table}`);
        expect({ table, owners: rows.map((row) => row.tenant_id).filter((owner) => owner !== unit) }).toEqual({ table, owners: [] });
      }
      expect((await app.query(`select 1 from support_request where id = $1`, [arranged.policeRequest])).rows).toEqual([]);
      expect((await app.query(`select 1 from support_contact where id = $1`, [arranged.policeContact])).rows).toEqual([]);
      expect((await app.query(`select 1 from person where id = $1`, [arranged.policeColleague])).rows).toEqual([]);
    });
  });

  it('sees exactly the referrals sent to it by organisations whose agreement grants READ', async () => {
    await asApp(unit, async () => {
      const { rows } = await app.query(`select id, tenant_id, target_organisation_id from referral`);
      expect(rows.every((row) => row.target_organisation_id === unit && [police, fire].includes(row.tenant_id))).toBe(true);
      const ids = rows.map((row) => row.id);
      expect(ids).toEqual(expect.arrayContaining([arranged.policeReferral, arranged.fireReferral]));
      expect(ids).not.toContain(arranged.policeReferralElsewhere);
      const granting = await app.query(`select app_owners_granting('REFERRAL', 'READ') as owners`);
      expect(granting.rows[0].owners).toEqual(expect.arrayContaining([fire, police]));
    });
  });

  it('sees only its own signposting services (police and fire share none with it)', async () => {
    await asApp(unit, async () => {
      const { rows } = await app.query(`select distinct tenant_id from signposting_service`);
      expect(rows.map((row) => row.tenant_id)).toEqual([unit]);
    });
  });

  it('may move a referral’s status (partner_contribute) but not create, delete, re-own or rewrite one', async () => {
    await asApp(unit, async () => {
      const moved = await app.query(`update referral set status = 'ACCEPTED' where id = $1`, [arranged.policeReferral]);
      expect(moved.rowCount).toBe(1);
      expect(await refusal(`update referral set target_organisation_id = $2 where id = $1`, [arranged.fireReferral, demoIds.organisation('southern-health')])).toBe('42501');
      expect(
        await refusal(
          `insert into referral (tenant_id, support_request_id, agreement_id, target_organisation_id, service_id, service_name, referred_by, urgency, consent_confirmed, status)
           values ($1, $2, $3, $4, $5, 'x', $6, 'SOON', true, 'SENT')`,
          [police, arranged.policeRequest, demoIds.agreement(POLICE, OCCUPATIONAL_HEALTH), unit, demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-referral'), arranged.policeColleague],
        ),
      ).toBe('42501');
      expect(await refusal(`delete from referral where id = $1`, [arranged.policeReferral])).toBe('42501');
      // The row is the sender's: the unit may not rewrite what it was sent (the update guard).
      expect(await refusal(`update referral set colleague_name = 'someone else' where id = $1`, [arranged.policeReferral])).toBe('42501');
      expect(await refusal(`update referral set reason = null, status = 'COMPLETED' where id = $1`, [arranged.fireReferral])).toBe('42501');
      // Police's request is invisible to it, so an update touches nothing.
      expect((await app.query(`update support_request set summary = 'changed' where id = $1`, [arranged.policeRequest])).rowCount).toBe(0);
    });
  });

  it('appends to the sender’s audit log in its own name only, and reads of that log only its own users’ events', async () => {
    await asApp(unit, async () => {
      const event = `insert into audit_event (tenant_id, actor_organisation_id, actor_subject, action, entity_type, entity_id, outcome)
                     values ($1, $2, 'oh-adviser-1', 'REFERRAL_READ', 'Referral', $3, 'ALLOWED')`;
      expect(await refusal(event, [police, unit, arranged.policeReferral])).toBeNull();
      expect(await refusal(event, [police, fire, arranged.policeReferral])).toBe('42501');
      // actor_read: a partner's data protection officer sees what its own users did, nothing else.
      const visible = await app.query(`select distinct actor_organisation_id from audit_event where tenant_id = $1`, [police]);
      expect(visible.rows.map((row) => row.actor_organisation_id)).toEqual([unit]);
    });
  });
});

describe('police’s context, as the application role', () => {
  const ohReferral = demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-referral');

  it('reads the unit’s shared services (partner_read) but cannot change or add to them', async () => {
    await asApp(police, async () => {
      expect((await app.query(`select name from signposting_service where id = $1`, [ohReferral])).rows).toEqual([{ name: 'Occupational Health referral' }]);
      const changed = await app.query(`update signposting_service set name = 'Changed by police' where id = $1`, [ohReferral]);
      expect(changed.rowCount).toBe(0);
      expect(
        await refusal(`insert into signposting_service (tenant_id, name, category) values ($1, 'Police-made unit service', 'OTHER')`, [unit]),
      ).toBe('42501');
    });
    const { rows } = await asTenant(owner, unit, () => owner.query(`select name from signposting_service where id = $1`, [ohReferral]));
    expect(rows).toEqual([{ name: 'Occupational Health referral' }]);
  });

  it('does not see the referrals fire sent to the unit', async () => {
    await asApp(police, async () => {
      expect((await app.query(`select 1 from referral where id = $1`, [arranged.fireReferral])).rows).toEqual([]);
    });
  });
});

describe('agreements that are not in force grant nothing in the database', () => {
  async function partnerSees(partner: string, referralId: string): Promise<boolean> {
    return asApp(partner, async () => (await app.query(`select 1 from referral where id = $1`, [referralId])).rowCount === 1);
  }

  async function agreementWith(state: { status: 'DRAFT' | 'ACTIVE' | 'REVOKED'; validFrom: string; validTo: string | null }) {
    const partner = await createTestUnit(owner, 'policies-state');
    const { rows } = await asTenant(owner, police, () =>
      owner.query(
        `insert into data_sharing_agreement (tenant_id, partner_organisation_id, title, purpose, lawful_basis, valid_from, valid_to, status, revoked_at)
         values ($1, $2, 'State test', 'State test', 'Test', $3, $4, $5, $6) returning id`,
        [police, partner.id, state.validFrom, state.validTo, state.status, state.status === 'REVOKED' ? new Date() : null],
      ),
    );
    const agreementId = rows[0].id;
    await asTenant(owner, police, () =>
      owner.query(
        `insert into access_rule (tenant_id, agreement_id, partner_organisation_id, resource, actions) values ($1, $2, $3, 'REFERRAL', '{READ,CONTRIBUTE}')`,
        [police, agreementId, partner.id],
      ),
    );
    const referral = await insertReferral(policeScheme, arranged.policeRequest, agreementId, partner.id, demoIds.signpostingService(OCCUPATIONAL_HEALTH, 'oh-referral'), arranged.policeColleague);
    return { partner: partner.id, agreementId, referral };
  }

  it('an agreement in force today (its last day included) does', async () => {
    const lastDay = await agreementWith({ status: 'ACTIVE', validFrom: '2025-01-01', validTo: today });
    expect(await partnerSees(lastDay.partner, lastDay.referral)).toBe(true);
  });

  it.each([
    ['a draft', { status: 'DRAFT' as const, validFrom: '2025-01-01', validTo: null }],
    ['one not yet in force', { status: 'ACTIVE' as const, validFrom: addDays(today, 1), validTo: null }],
    ['an expired one', { status: 'ACTIVE' as const, validFrom: '2025-01-01', validTo: addDays(today, -1) }],
    ['a revoked one', { status: 'REVOKED' as const, validFrom: '2025-01-01', validTo: null }],
  ])('%s does not', async (_what, state) => {
    const { partner, referral } = await agreementWith(state);
    expect(await partnerSees(partner, referral)).toBe(false);
    await asApp(partner, async () => {
      expect((await app.query(`update referral set status = 'ACCEPTED' where id = $1`, [referral])).rowCount).toBe(0);
    });
  });

  it('revoking an agreement in force hides its referrals at once', async () => {
    const { partner, agreementId, referral } = await agreementWith({ status: 'ACTIVE', validFrom: '2025-01-01', validTo: null });
    expect(await partnerSees(partner, referral)).toBe(true);
    await asTenant(owner, police, () => owner.query(`update data_sharing_agreement set status = 'REVOKED', revoked_at = now() where id = $1`, [agreementId]));
    expect(await partnerSees(partner, referral)).toBe(false);
  });
});

describe('the same through the API, as oh-adviser-1', () => {
  const adviser: Caller = personas.occupationalHealth.adviser;

  it('gets null for police’s support request, contact and colleague, and sees the referrals sent to it', async () => {
    const response = await platform.graphql(
      adviser,
      `query($request: ID!, $contact: ID!) {
        request: node(id: $request) { id }
        contact: node(id: $contact) { id }
        referralsReceived(first: 100) { edges { node { id referringOrganisation { slug } colleagueName } } }
      }`,
      {
        request: toGlobalId('SupportRequest', arranged.policeRequest),
        contact: toGlobalId('SupportContact', arranged.policeContact),
      },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject({ request: null, contact: null });
    const ids = response.data!.referralsReceived.edges.map((edge: { node: { id: string } }) => edge.node.id);
    expect(ids).toEqual(expect.arrayContaining([toGlobalId('Referral', arranged.policeReferral), toGlobalId('Referral', arranged.fireReferral)]));
    expect(ids).not.toContain(toGlobalId('Referral', arranged.policeReferralElsewhere));
  });

  it('gets null for police’s support request through supportRequest(id:), and for police’s colleague as the unit’s admin', async () => {
    const request = await platform.graphql(adviser, `query($id: ID!) { supportRequest(id: $id) { id } }`, {
      id: toGlobalId('SupportRequest', arranged.policeRequest),
    });
    expect(request.errors).toBeUndefined();
    expect(request.data!.supportRequest).toBeNull();
    const person = await platform.graphql(
      personas.occupationalHealth.admin,
      `query($id: ID!) { node(id: $id) { id } }`,
      { id: toGlobalId('Person', arranged.policeColleague) },
    );
    expect(person.errors).toBeUndefined();
    expect(person.data!.node).toBeNull();
  });
});
