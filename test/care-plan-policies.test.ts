import { Client } from 'pg';
import { addDays, ukDateOf } from '../src/platform/calendar';
import { FIRE, OCCUPATIONAL_HEALTH, POLICE, SOLENT, SOUTHERN_HEALTH, asTenant, demoIds, ownerClient } from './support/platform';
import { createTestUnit, type TestUnit } from './support/partner-unit';
import { insertAgreement, insertPlan, personIdOf, type ArrangedPlan } from './support/partner-care-plans';

/*
 * Item 4 of issue 5, in PostgreSQL alone: as the application role (the server's own login,
 * NOSUPERUSER NOBYPASSRLS) with each partner's context set as the server sets it, the
 * database returns only what the access rules allow, for every resource the rules name:
 * care plans (care team, consent, agreement state, careTeamOnly false), their inputs (SHARED
 * only; CONTRIBUTE inserts only as a SHARED PARTNER input in the partner's own name), the
 * subject (only under field scope subjectIdentity), the care team, police-only notes (never),
 * referrals and signposting services (reconfirmed), and a partner never changes a plan.
 *
 * Everything is arranged in a throwaway owner organisation with throwaway partners, so the
 * seeded plans and agreements other files read stay as they are; the seeded ones are only read.
 */

const today = ukDateOf(new Date());

let app: Client;
let owner: Client;
let ownerOrg: TestUnit;
const partners: Record<string, TestUnit> = {};
const plans: Record<'A' | 'B' | 'C' | 'D', ArrangedPlan> = {} as never;

/** Runs work as the application role with a tenant context, then rolls everything back. */
async function asApp<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
  await app.query('begin');
  try {
    await app.query(`select set_config('app.tenant_id', $1, true), set_config('app.roles', 'PARTNER', true)`, [tenantId]);
    return await work();
  } finally {
    await app.query('rollback');
  }
}

/** The error code PostgreSQL raises for a statement, or null when it succeeds (inside asApp). */
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

const ids = async (sql: string, parameters: unknown[] = []) => (await app.query(sql, parameters)).rows.map((row) => row.id as string).sort();
const sorted = (...values: string[]) => [...values].sort();

/** What a partner sees of the owner's care-plan tables. */
async function visibleTo(partnerId: string) {
  return asApp(partnerId, async () => ({
    plans: await ids(`select id from care_plan where tenant_id = $1`, [ownerOrg.id]),
    inputs: await ids(`select id from care_plan_input where tenant_id = $1`, [ownerOrg.id]),
    team: await ids(`select id from care_team_member where tenant_id = $1`, [ownerOrg.id]),
    subjects: await ids(`select id from care_plan_subject where tenant_id = $1`, [ownerOrg.id]),
    notes: await ids(`select id from care_plan_internal_note where tenant_id = $1`, [ownerOrg.id]),
    versions: await ids(`select id from care_plan_version where tenant_id = $1`, [ownerOrg.id]),
  }));
}

const NOTHING = { plans: [], inputs: [], team: [], subjects: [], notes: [], versions: [] };

beforeAll(async () => {
  owner = await ownerClient();
  app = new Client({ connectionString: process.env.TEST_APP_URL });
  await app.connect();

  ownerOrg = await createTestUnit(owner, 'cpp-owner', 'POLICE');
  for (const label of ['team', 'consent', 'all', 'revoked', 'expired', 'draft', 'future', 'none', 'live']) {
    partners[label] = await createTestUnit(owner, `cpp-${label}`, 'NHS_TRUST');
  }
  const o = ownerOrg.id;
  const inputsRule = { resource: 'CARE_PLAN_INPUT' as const, actions: ['READ' as const] };
  await insertAgreement(owner, o, partners.team.id, {
    rules: [
      { resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps'] },
      { resource: 'CARE_PLAN_INPUT', actions: ['READ', 'CONTRIBUTE'] },
    ],
  });
  await insertAgreement(owner, o, partners.consent.id, {
    rules: [{ resource: 'CARE_PLAN', actions: ['READ'], conditions: { requireConsent: true } }, inputsRule, { resource: 'SIGNPOSTING_SERVICE', actions: ['READ'] }],
  });
  await insertAgreement(owner, o, partners.all.id, {
    rules: [{ resource: 'CARE_PLAN', actions: ['READ'], fieldScope: ['whatHelps', 'subjectIdentity'], conditions: { careTeamOnly: false } }],
  });
  const everything = [{ resource: 'CARE_PLAN' as const, actions: ['READ' as const], conditions: { careTeamOnly: false } }, inputsRule];
  await insertAgreement(owner, o, partners.revoked.id, { status: 'REVOKED', rules: everything });
  await insertAgreement(owner, o, partners.expired.id, { validTo: addDays(today, -1), rules: everything });
  await insertAgreement(owner, o, partners.draft.id, { status: 'DRAFT', rules: everything });
  await insertAgreement(owner, o, partners.future.id, { validFrom: addDays(today, 1), rules: everything });
  await insertAgreement(owner, o, partners.live.id, { rules: [{ resource: 'CARE_PLAN', actions: ['READ'] }, inputsRule] });

  const noteAuthorId = await personIdOf(owner, o, `${ownerOrg.slug}-admin`);
  const lapsed = ['revoked', 'expired', 'draft', 'future', 'none'].map((label) => partners[label].id);
  plans.A = await insertPlan(owner, o, {
    consent: 'GIVEN',
    team: [partners.team.id, partners.consent.id, partners.live.id, ...lapsed],
    inputs: [{ visibility: 'SHARED' }, { visibility: 'INTERNAL' }, { visibility: 'SHARED', kind: 'CARER' }],
    noteAuthorId,
  });
  plans.B = await insertPlan(owner, o, { team: [partners.consent.id], inputs: [{ visibility: 'SHARED' }, { visibility: 'INTERNAL' }], noteAuthorId });
  plans.C = await insertPlan(owner, o, { status: 'UNDER_REVIEW', team: [partners.team.id, partners.consent.id], inputs: [{ visibility: 'SHARED' }] });
  plans.D = await insertPlan(owner, o, { status: 'DRAFT', team: [partners.team.id], subject: null });
  await asTenant(owner, o, () =>
    owner.query(
      `insert into care_plan_version (tenant_id, care_plan_id, version, snapshot, change_summary) values ($1, $2, 1, '{}', 'Created (test)')`,
      [o, plans.A.id],
    ),
  );
});

afterAll(async () => {
  await app.end();
  await owner.end();
});

it('runs as the application role, which cannot bypass row-level security', async () => {
  const { rows } = await app.query(`select rolsuper, rolbypassrls from pg_roles where rolname = current_user`);
  expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
});

describe('CARE_PLAN: which plans a partner’s context returns', () => {
  it('by default only plans on whose care team the partner is (not B), drafts included', async () => {
    expect((await visibleTo(partners.team.id)).plans).toEqual(sorted(plans.A.id, plans.C.id, plans.D.id));
  });

  it('with requireConsent only plans whose consent is GIVEN, even on the care team (A, not B or C)', async () => {
    expect((await visibleTo(partners.consent.id)).plans).toEqual([plans.A.id]);
  });

  it('with careTeamOnly false every plan of the owner, on the team or not', async () => {
    expect((await visibleTo(partners.all.id)).plans).toEqual(sorted(plans.A.id, plans.B.id, plans.C.id, plans.D.id));
  });

  it.each([
    ['a revoked agreement', 'revoked'],
    ['an expired agreement', 'expired'],
    ['a draft agreement', 'draft'],
    ['an agreement not yet in force', 'future'],
    ['no agreement at all', 'none'],
  ])('with %s: nothing of any table, though on the care team', async (_what, label) => {
    expect(await visibleTo(partners[label].id)).toEqual(NOTHING);
  });

  it('revocation and expiry bite on the very next statement', async () => {
    const live = partners.live.id;
    expect((await visibleTo(live)).plans).toEqual([plans.A.id]);
    const { rows } = await asTenant(owner, ownerOrg.id, () =>
      owner.query(`select id from data_sharing_agreement where partner_organisation_id = $1`, [live]),
    );
    await asTenant(owner, ownerOrg.id, () => owner.query(`update data_sharing_agreement set valid_to = $2 where id = $1`, [rows[0].id, addDays(today, -1)]));
    expect(await visibleTo(live)).toEqual(NOTHING);
    await asTenant(owner, ownerOrg.id, () => owner.query(`update data_sharing_agreement set valid_to = null where id = $1`, [rows[0].id]));
    expect((await visibleTo(live)).plans).toEqual([plans.A.id]);
    await asTenant(owner, ownerOrg.id, () => owner.query(`update data_sharing_agreement set status = 'REVOKED', revoked_at = now() where id = $1`, [rows[0].id]));
    expect(await visibleTo(live)).toEqual(NOTHING);
  });

  it('app_grants() tells the policies each owner’s rule, conditions and scope', async () => {
    const grants = await asApp(partners.consent.id, async () => (await app.query(`select app_grants('CARE_PLAN', 'READ') as grants`)).rows[0].grants);
    expect(grants).toEqual({ [ownerOrg.id]: { conditions: { requireConsent: true }, fields: [] } });
  });
});

describe('CARE_PLAN_INPUT: reading', () => {
  it('returns SHARED inputs of visible plans only, never INTERNAL ones', async () => {
    const seen = await visibleTo(partners.team.id);
    expect(seen.inputs).toEqual(sorted(plans.A.inputIds[0], plans.A.inputIds[2], plans.C.inputIds[0]));
    expect(seen.inputs).not.toContain(plans.A.inputIds[1]);
    expect(seen.inputs).not.toContain(plans.B.inputIds[0]);
  });

  it('returns none without a CARE_PLAN_INPUT READ rule, whatever the plan rule shows', async () => {
    expect((await visibleTo(partners.all.id)).inputs).toEqual([]);
  });

  it('returns an INTERNAL input to nobody but the owner, even asked for by id', async () => {
    for (const partner of [partners.team, partners.consent, partners.all]) {
      await asApp(partner.id, async () => expect((await app.query(`select 1 from care_plan_input where id = $1`, [plans.A.inputIds[1]])).rows).toEqual([]));
    }
    const own = await asApp(ownerOrg.id, () => app.query(`select visibility from care_plan_input where id = $1`, [plans.A.inputIds[1]]));
    expect(own.rows).toEqual([{ visibility: 'INTERNAL' }]);
  });
});

describe('CARE_PLAN_INPUT: contributing (INSERT)', () => {
  const insert = `insert into care_plan_input (tenant_id, care_plan_id, author_organisation_id, author_name, kind, body, visibility) values ($1, $2, $3, 'Partner clinician', $4, 'A partner input', $5)`;

  it('is allowed as a SHARED PARTNER input in the partner’s own name, on a plan it sees, under CONTRIBUTE', async () => {
    await asApp(partners.team.id, async () => {
      expect(await refusal(insert, [ownerOrg.id, plans.A.id, partners.team.id, 'PARTNER', 'SHARED'])).toBeNull();
    });
  });

  it.each([
    ['marked INTERNAL', (team: string) => [plans.A.id, team, 'PARTNER', 'INTERNAL']],
    ['in another organisation’s name', () => [plans.A.id, partners.consent.id, 'PARTNER', 'SHARED']],
    ['in the owner’s name', () => [plans.A.id, ownerOrg.id, 'MILO', 'SHARED']],
    ['of another kind than PARTNER', (team: string) => [plans.A.id, team, 'MILO', 'SHARED']],
    ['on a plan the partner does not see', (team: string) => [plans.B.id, team, 'PARTNER', 'SHARED']],
  ])('is refused %s', async (_what, values) => {
    await asApp(partners.team.id, async () => {
      expect(await refusal(insert, [ownerOrg.id, ...values(partners.team.id)])).toBe('42501');
    });
  });

  it('is refused without a CONTRIBUTE rule (READ only), on a plan the partner sees', async () => {
    await asApp(partners.consent.id, async () => {
      expect(await refusal(insert, [ownerOrg.id, plans.A.id, partners.consent.id, 'PARTNER', 'SHARED'])).toBe('42501');
    });
  });

  it('is refused under an agreement that is not in force', async () => {
    await asApp(partners.revoked.id, async () => {
      expect(await refusal(insert, [ownerOrg.id, plans.A.id, partners.revoked.id, 'PARTNER', 'SHARED'])).toBe('42501');
    });
  });
});

describe('the subject, the care team and police-only notes', () => {
  it('care_plan_subject: only under field scope subjectIdentity, and only of visible plans', async () => {
    expect((await visibleTo(partners.team.id)).subjects).toEqual([]);
    expect((await visibleTo(partners.consent.id)).subjects).toEqual([]);
    expect((await visibleTo(partners.all.id)).subjects).toEqual(sorted(plans.A.subjectId!, plans.B.subjectId!, plans.C.subjectId!));
  });

  it('care_team_member: the teams of visible plans only', async () => {
    expect((await visibleTo(partners.team.id)).team).toEqual(sorted(...plans.A.teamMemberIds, ...plans.C.teamMemberIds, ...plans.D.teamMemberIds));
    expect((await visibleTo(partners.consent.id)).team).toEqual(sorted(...plans.A.teamMemberIds));
  });

  it('care_plan_internal_note and care_plan_version: never, even with every plan shared', async () => {
    for (const label of ['team', 'consent', 'all']) {
      const seen = await visibleTo(partners[label].id);
      expect({ label, notes: seen.notes, versions: seen.versions }).toEqual({ label, notes: [], versions: [] });
    }
    const own = await asApp(ownerOrg.id, async () => (await app.query(`select count(*)::int as n from care_plan_internal_note`)).rows[0].n);
    expect(own).toBe(2);
  });
});

describe('a partner changes nothing of the owner’s plans', () => {
  it('updates touch no row, deletes and inserts are refused', async () => {
    await asApp(partners.all.id, async () => {
      for (const [table, set] of [
        ['care_plan', `what_helps = 'changed by a partner'`],
        ['care_plan', `status = 'CLOSED', closed_at = now()`],
        ['care_plan_input', `body = null, removed_at = now()`],
        ['care_team_member', `removed_at = now()`],
        ['care_plan_subject', `display_name = 'changed'`],
        ['care_plan_internal_note', `body = null, removed_at = now()`],
      ]) {
        const changed = await app.query(`update ${table} set ${set} where tenant_id = $1`, [ownerOrg.id]);
        expect({ table, set, rows: changed.rowCount }).toEqual({ table, set, rows: 0 });
      }
      // No DELETE grant at all on these; the subject has one (anonymisation) but no partner row.
      for (const table of ['care_plan', 'care_plan_input', 'care_team_member', 'care_plan_internal_note', 'care_plan_version']) {
        expect({ table, code: await refusal(`delete from ${table} where tenant_id = $1`, [ownerOrg.id]) }).toEqual({ table, code: '42501' });
      }
      expect((await app.query(`delete from care_plan_subject where tenant_id = $1`, [ownerOrg.id])).rowCount).toBe(0);
      expect(
        await refusal(`insert into care_plan (tenant_id, reference, status, lawful_basis) values ($1, 'CP-BY-PARTNER', 'DRAFT', 'x')`, [ownerOrg.id]),
      ).toBe('42501');
      // Putting itself on a plan's care team would widen what it sees: refused.
      expect(
        await refusal(
          `insert into care_team_member (tenant_id, care_plan_id, member_organisation_id, display_name, role) values ($1, $2, $3, 'Me', 'Self-appointed')`,
          [ownerOrg.id, plans.B.id, partners.team.id],
        ),
      ).toBe('42501');
      expect(await refusal(`insert into care_plan_subject (tenant_id, care_plan_id, display_name) values ($1, $2, 'x')`, [ownerOrg.id, plans.D.id])).toBe('42501');
    });
    const { rows } = await asTenant(owner, ownerOrg.id, () => owner.query(`select what_helps, status from care_plan where id = $1`, [plans.A.id]));
    expect(rows).toEqual([{ what_helps: 'What helps (test)', status: 'ACTIVE' }]);
  });
});

describe('REFERRAL and SIGNPOSTING_SERVICE, reconfirmed (issue 4 proves them in cross-tenant-policies)', () => {
  it('a care-plan partner sees the owner’s signposting services only under a SIGNPOSTING_SERVICE rule, and no referrals without a REFERRAL rule', async () => {
    await asTenant(owner, ownerOrg.id, () =>
      owner.query(`insert into signposting_service (tenant_id, name, category) values ($1, 'Owner helpline (test)', 'OTHER')`, [ownerOrg.id]),
    );
    const services = (partner: string) => asApp(partner, async () => (await app.query(`select count(*)::int as n from signposting_service where tenant_id = $1`, [ownerOrg.id])).rows[0].n);
    expect(await services(partners.consent.id)).toBe(1);
    expect(await services(partners.all.id)).toBe(0);
    // Southern Health shares care plans with police and fire, and nothing else.
    const southernHealth = demoIds.organisation(SOUTHERN_HEALTH);
    await asApp(southernHealth, async () => {
      expect((await app.query(`select count(*)::int as n from referral`)).rows[0].n).toBe(0);
      expect((await app.query(`select count(*)::int as n from signposting_service where tenant_id <> $1`, [southernHealth])).rows[0].n).toBe(0);
    });
  });
});

describe('the seeded agreements, read only', () => {
  const reference = (owner: string, ref: string) => demoIds.carePlan(owner, ref);

  it('Southern Health sees the police and fire plans it is on the team of, their SHARED inputs, no subjects and no notes', async () => {
    await asApp(demoIds.organisation(SOUTHERN_HEALTH), async () => {
      const seen = await ids(`select id from care_plan`);
      expect(seen).toEqual(expect.arrayContaining([reference(POLICE, 'CP-HC-0001'), reference(POLICE, 'CP-HC-0002'), reference(FIRE, 'CP-HFRS-0001')]));
      expect(seen).not.toContain(reference(POLICE, 'CP-HC-0003'));
      const teams = await app.query(`select bool_and(care_team_organisation_ids @> array[$1::uuid]) as on_all from care_plan`, [demoIds.organisation(SOUTHERN_HEALTH)]);
      expect(teams.rows[0].on_all).toBe(true);
      expect((await app.query(`select distinct visibility from care_plan_input`)).rows).toEqual([{ visibility: 'SHARED' }]);
      expect((await app.query(`select 1 from care_plan_input where id = $1`, [demoIds.carePlanInput(POLICE, 'CP-HC-0001', 'milo-internal')])).rows).toEqual([]);
      expect((await app.query(`select count(*)::int as n from care_plan_subject`)).rows[0].n).toBe(0);
      expect((await app.query(`select count(*)::int as n from care_plan_internal_note`)).rows[0].n).toBe(0);
    });
  });

  it('Solent sees CP-HC-0001 (consent given) but not CP-HC-0002 (no consent), though on both teams', async () => {
    await asApp(demoIds.organisation(SOLENT), async () => {
      const seen = await ids(`select id from care_plan where tenant_id = $1`, [demoIds.organisation(POLICE)]);
      expect(seen).toContain(reference(POLICE, 'CP-HC-0001'));
      expect(seen).not.toContain(reference(POLICE, 'CP-HC-0002'));
    });
  });

  it('the occupational-health unit, with no care-plan agreement, sees no plan of anyone', async () => {
    await asApp(demoIds.organisation(OCCUPATIONAL_HEALTH), async () => {
      for (const table of ['care_plan', 'care_plan_input', 'care_team_member', 'care_plan_subject', 'care_plan_internal_note']) {
        const { rows } = await app.query(`select count(*)::int as n from ${table}`);
        expect({ table, n: rows[0].n }).toEqual({ table, n: 0 });
      }
    });
  });
});
