import { Client } from 'pg';
import { partnerCarePlanDecision, type PartyTerms } from '../src/modules/agreements/care-plan-sharing';
import { addDays, ukDateOf } from '../src/platform/calendar';
import { ownerClient } from './support/platform';
import { insertAgreement, insertPlan, type RuleSpec } from './support/partner-care-plans';

/*
 * The partner rule for care plans is written twice: once in TypeScript (the agreements
 * module's partnerCarePlanDecision, which the care-plan access policy asks) and once in SQL
 * (the partner_read policies over app_grants()). One table of cases is fed to both, the SQL
 * side as the application role with the partner's tenant context set as the server sets it,
 * and they must agree on every case: whether the partner reads the plan, and which fields
 * (the scope app_grants() hands the policies, and the subject's identity, a table of its own).
 * See docs/architecture.md, "Authorization".
 *
 * Each case has its own partner organisation and plan of one throwaway owner, so no case sees
 * another's agreements and no other test file sees these.
 */

const today = ukDateOf(new Date());
const yesterday = addDays(today, -1);
const tomorrow = addDays(today, 1);

type Party = 'plan owner' | 'another owner';
type Partner = 'reader' | 'another partner';

interface AgreementCase {
  owner?: Party;
  partner?: Partner;
  status?: 'DRAFT' | 'ACTIVE' | 'REVOKED';
  validFrom?: string;
  validTo?: string | null;
  rules: RuleSpec[];
}

interface Case {
  name: string;
  agreements: AgreementCase[];
  plan: { onTeam: boolean; consent: 'GIVEN' | 'REFUSED' | 'WITHDRAWN' | null };
  /** What the rule says, written down so that both sides being wrong together fails too. */
  reads: boolean;
}

const read = (fieldScope: string[] = ['whatHelps'], conditions?: Record<string, boolean>): RuleSpec => ({
  resource: 'CARE_PLAN',
  actions: ['READ'],
  fieldScope,
  ...(conditions ? { conditions } : {}),
});
const onTeam = { onTeam: true, consent: null } as const;
const offTeam = { onTeam: false, consent: null } as const;
const EVERY_FIELD = ['presentationAndTriggers', 'whatHelps', 'whatToAvoid', 'agreedResponse', 'contacts', 'subjectIdentity', 'consent', 'reviewDueOn', 'timestamps'];

const CASES: Case[] = [
  { name: 'in force, default conditions, partner on the care team', agreements: [{ rules: [read()] }], plan: onTeam, reads: true },
  { name: 'in force, default conditions, partner not on the care team', agreements: [{ rules: [read()] }], plan: offTeam, reads: false },
  { name: 'careTeamOnly true said outright, on the team', agreements: [{ rules: [read(['whatHelps'], { careTeamOnly: true })] }], plan: onTeam, reads: true },
  { name: 'careTeamOnly false, not on the team', agreements: [{ rules: [read(['whatHelps'], { careTeamOnly: false })] }], plan: offTeam, reads: true },
  { name: 'requireConsent, consent GIVEN', agreements: [{ rules: [read(['whatHelps'], { requireConsent: true })] }], plan: { onTeam: true, consent: 'GIVEN' }, reads: true },
  { name: 'requireConsent, no consent recorded', agreements: [{ rules: [read(['whatHelps'], { requireConsent: true })] }], plan: onTeam, reads: false },
  { name: 'requireConsent, consent REFUSED', agreements: [{ rules: [read(['whatHelps'], { requireConsent: true })] }], plan: { onTeam: true, consent: 'REFUSED' }, reads: false },
  {
    name: 'requireConsent, consent WITHDRAWN',
    agreements: [{ rules: [read(['whatHelps'], { requireConsent: true })] }],
    plan: { onTeam: true, consent: 'WITHDRAWN' },
    reads: false,
  },
  { name: 'requireConsent false said outright, no consent', agreements: [{ rules: [read(['whatHelps'], { requireConsent: false })] }], plan: onTeam, reads: true },
  {
    name: 'careTeamOnly false and requireConsent, off the team, consent GIVEN',
    agreements: [{ rules: [read(['whatHelps'], { careTeamOnly: false, requireConsent: true })] }],
    plan: { onTeam: false, consent: 'GIVEN' },
    reads: true,
  },
  {
    name: 'careTeamOnly false and requireConsent, off the team, no consent',
    agreements: [{ rules: [read(['whatHelps'], { careTeamOnly: false, requireConsent: true })] }],
    plan: offTeam,
    reads: false,
  },
  {
    name: 'requireConsent, on the team, consent GIVEN, but careTeamOnly by default and off the team',
    agreements: [{ rules: [read(['whatHelps'], { requireConsent: true })] }],
    plan: { onTeam: false, consent: 'GIVEN' },
    reads: false,
  },
  { name: 'expired yesterday', agreements: [{ validTo: yesterday, rules: [read()] }], plan: onTeam, reads: false },
  { name: 'its last day is today (validTo is inclusive)', agreements: [{ validTo: today, rules: [read()] }], plan: onTeam, reads: true },
  { name: 'revoked', agreements: [{ status: 'REVOKED', rules: [read(['whatHelps'], { careTeamOnly: false })] }], plan: onTeam, reads: false },
  { name: 'a draft, never accepted', agreements: [{ status: 'DRAFT', rules: [read()] }], plan: onTeam, reads: false },
  { name: 'not yet valid: it starts tomorrow', agreements: [{ validFrom: tomorrow, rules: [read()] }], plan: onTeam, reads: false },
  { name: 'valid from today', agreements: [{ validFrom: today, rules: [read()] }], plan: onTeam, reads: true },
  { name: 'in force between dates around today', agreements: [{ validFrom: '2025-01-01', validTo: addDays(today, 30), rules: [read()] }], plan: onTeam, reads: true },
  { name: 'a CARE_PLAN_INPUT rule alone', agreements: [{ rules: [{ resource: 'CARE_PLAN_INPUT', actions: ['READ', 'CONTRIBUTE'] }] }], plan: onTeam, reads: false },
  { name: 'a CARE_PLAN rule that grants CONTRIBUTE only', agreements: [{ rules: [{ resource: 'CARE_PLAN', actions: ['CONTRIBUTE'], fieldScope: ['whatHelps'] }] }], plan: onTeam, reads: false },
  {
    name: 'a CARE_PLAN rule that grants READ and CONTRIBUTE',
    agreements: [{ rules: [{ resource: 'CARE_PLAN', actions: ['READ', 'CONTRIBUTE'], fieldScope: ['whatHelps', 'contacts'] }] }],
    plan: onTeam,
    reads: true,
  },
  { name: 'rules for other resources beside the care-plan rule', agreements: [{ rules: [{ resource: 'REFERRAL', actions: ['READ'] }, read(['agreedResponse'])] }], plan: onTeam, reads: true },
  { name: 'an agreement of another owner with the reader', agreements: [{ owner: 'another owner', rules: [read(['whatHelps'], { careTeamOnly: false })] }], plan: onTeam, reads: false },
  { name: 'an agreement of the owner with another partner', agreements: [{ partner: 'another partner', rules: [read(['whatHelps'], { careTeamOnly: false })] }], plan: onTeam, reads: false },
  {
    name: 'a revoked agreement and a new one in force: the one in force decides',
    agreements: [{ status: 'REVOKED', rules: [read(EVERY_FIELD, { careTeamOnly: false })] }, { rules: [read(['whatToAvoid'])] }],
    plan: onTeam,
    reads: true,
  },
  {
    name: 'an expired agreement and one not yet valid',
    agreements: [{ validTo: yesterday, rules: [read()] }, { validFrom: tomorrow, rules: [read()] }],
    plan: onTeam,
    reads: false,
  },
  { name: 'no agreement at all, though on the care team', agreements: [], plan: onTeam, reads: false },
  { name: 'an empty field scope: the plan, none of its governed fields', agreements: [{ rules: [read([])] }], plan: onTeam, reads: true },
  { name: 'every field, the subject’s identity included', agreements: [{ rules: [read(EVERY_FIELD)] }], plan: { onTeam: true, consent: 'GIVEN' }, reads: true },
  {
    name: 'the subject’s identity and consent, off the team under careTeamOnly false',
    agreements: [{ rules: [read(['subjectIdentity', 'consent'], { careTeamOnly: false })] }],
    plan: offTeam,
    reads: true,
  },
  { name: 'the subject’s identity under an expired agreement', agreements: [{ validTo: yesterday, rules: [read(['subjectIdentity'])] }], plan: onTeam, reads: false },
];

interface Arranged {
  partnerId: string;
  planId: string;
  terms: PartyTerms[];
  plan: { careTeamOrganisationIds: string[]; consentStatus: string };
}

let owner: Client;
let app: Client;
let planOwnerId: string;
let anotherOwnerId: string;
let anotherPartnerId: string;
const arranged = new Map<string, Arranged>();

async function organisation(label: string, kind: string): Promise<string> {
  const slug = `parity-${label}-${Math.random().toString(36).slice(2, 8)}`;
  const { rows } = await owner.query(`insert into organisation (slug, name, kind) values ($1, $2, $3) returning id`, [slug, `Parity ${slug}`, kind]);
  return rows[0].id;
}

/** What the SQL policies show the partner: the plan or not, app_grants()' scope, the subject or not. */
async function sqlDecision(partnerId: string, planId: string): Promise<{ reads: boolean; fields: string[] | null; subject: boolean }> {
  await app.query('begin');
  try {
    await app.query(`select set_config('app.tenant_id', $1, true)`, [partnerId]);
    const plan = await app.query(`select tenant_id from care_plan where id = $1`, [planId]);
    const grants = (await app.query(`select app_grants('CARE_PLAN', 'READ') as grants`)).rows[0].grants as Record<string, { fields: string[] }>;
    const subject = await app.query(`select 1 from care_plan_subject where care_plan_id = $1`, [planId]);
    const reads = plan.rows.length === 1;
    return { reads, fields: reads ? [...(grants[planOwnerId]?.fields ?? [])].sort() : null, subject: subject.rows.length === 1 };
  } finally {
    await app.query('rollback');
  }
}

beforeAll(async () => {
  owner = await ownerClient();
  app = new Client({ connectionString: process.env.TEST_APP_URL });
  await app.connect();
  planOwnerId = await organisation('owner', 'POLICE');
  anotherOwnerId = await organisation('other-owner', 'FIRE_RESCUE');
  anotherPartnerId = await organisation('other-partner', 'NHS_TRUST');

  for (const [index, testCase] of CASES.entries()) {
    const partnerId = await organisation(`partner-${index}`, 'NHS_TRUST');
    const terms: PartyTerms[] = [];
    for (const agreement of testCase.agreements) {
      const ownerId = agreement.owner === 'another owner' ? anotherOwnerId : planOwnerId;
      const namedPartner = agreement.partner === 'another partner' ? anotherPartnerId : partnerId;
      const spec = { status: agreement.status, validFrom: agreement.validFrom, validTo: agreement.validTo, rules: agreement.rules };
      await insertAgreement(owner, ownerId, namedPartner, spec);
      for (const rule of agreement.rules) {
        terms.push({
          agreement: {
            tenantId: ownerId,
            partnerOrganisationId: namedPartner,
            status: agreement.status ?? 'ACTIVE',
            validFrom: agreement.validFrom ?? '2025-01-01',
            validTo: agreement.validTo ?? null,
          },
          rule: { resource: rule.resource, actions: rule.actions, fieldScope: rule.fieldScope ?? [], conditions: rule.conditions ?? {} },
        });
      }
    }
    const team = testCase.plan.onTeam ? [partnerId] : [];
    const plan = await insertPlan(owner, planOwnerId, { consent: testCase.plan.consent, team });
    arranged.set(testCase.name, {
      partnerId,
      planId: plan.id,
      terms,
      plan: { careTeamOrganisationIds: [planOwnerId, ...team], consentStatus: testCase.plan.consent ?? 'NOT_RECORDED' },
    });
  }
});

afterAll(async () => {
  await app?.end();
  await owner?.end();
});

it('the SQL side runs as the application role, which cannot bypass row-level security', async () => {
  const { rows } = await app.query(`select rolsuper, rolbypassrls from pg_roles where rolname = current_user`);
  expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
});

describe('the partner rule for care plans: TypeScript and the SQL policy agree', () => {
  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const { partnerId, planId, terms, plan } = arranged.get(testCase.name)!;
    const typescript = partnerCarePlanDecision(terms, planOwnerId, plan, partnerId, today);
    const sql = await sqlDecision(partnerId, planId);

    expect({ case: testCase.name, reads: sql.reads }).toEqual({ case: testCase.name, reads: typescript.allowed });
    expect(typescript.allowed).toBe(testCase.reads);
    if (typescript.allowed) {
      expect(sql.fields).toEqual([...typescript.fields].sort());
      expect(sql.subject).toBe(typescript.fields.includes('subjectIdentity'));
    } else {
      expect(sql.subject).toBe(false);
    }
  });
});
