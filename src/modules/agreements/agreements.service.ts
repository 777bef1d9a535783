import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { recordAudit } from '../../platform/audit';
import { isIsoDate } from '../../platform/calendar';
import type { LoaderFactory, RequestContext } from '../../platform/context';
import { badUserInput, conflict, notFound, type FieldProblem } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { manyByKey } from '../../platform/graphql/batch';
import { findOrganisation, organisationNameOf } from '../organisations';
import { AccessRule } from './access-rule.entity';
import {
  CONDITION_KEYS,
  conditionsFromInput,
  effectiveCarePlanConditions,
  ruleProblems,
  type AccessAction,
  type CarePlanConditions,
  type SharedResource,
} from './access-rules';
import { auditAgreementReads, readableAgreementRecord } from './agreement.policy';
import { DataSharingAgreement } from './data-sharing-agreement.entity';
import { agreementsOfViewer, forgetGrants } from './grants';
import type {
  AddAccessRuleInput,
  CreateDataSharingAgreementInput,
  RemoveAccessRuleInput,
  RevokeDataSharingAgreementInput,
  UpdateAccessRuleInput,
} from './agreements.types';

export const rulesByAgreementId: LoaderFactory<string, AccessRule[]> = (context) =>
  new DataLoader(async (agreementIds) => {
    // Both sides read rules: the owner through tenant isolation, the partner through partner_read.
    const rows = await context.db.getRepository(AccessRule).find({ where: { agreementId: In([...agreementIds]) }, order: { resource: 'ASC' } });
    return manyByKey(agreementIds, rows, (row) => row.agreementId);
  });

// ---------------------------------------------------------------------------------------
// Reading agreements: scheme admins and auditors of either party, and the partner's users
// (who may read them is agreement.policy.ts).

export async function listAgreements(context: RequestContext): Promise<DataSharingAgreement[]> {
  // The same per-request read the grant checks use: agreements without rules are listed too.
  const { agreements: all } = await context.loaders.use(agreementsOfViewer).load('all');
  const agreements = [...all].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  await auditAgreementReads(context, agreements);
  return agreements;
}

/** node(id:) for an agreement, for either party. */
export async function findAgreement(context: RequestContext, id: string): Promise<DataSharingAgreement | null> {
  const agreement = await readableAgreementRecord(context, 'DataSharingAgreement', id, await context.db.getRepository(DataSharingAgreement).findOneBy({ id }));
  if (agreement) await auditAgreementReads(context, [agreement]);
  return agreement;
}

/** node(id:) for an access rule: as the agreements query, for either party. */
export async function findAccessRule(context: RequestContext, id: string): Promise<AccessRule | null> {
  return readableAgreementRecord(context, 'AccessRule', id, await context.db.getRepository(AccessRule).findOneBy({ id }));
}

/**
 * One rule per resource between an owner and a partner at a time: with two in force, which
 * one decides would be arbitrary (the database policy and the service each take one), so a
 * second is refused and the admin changes the first, or revokes its agreement, instead.
 */
async function refuseSecondRule(context: RequestContext, partnerId: string, resource: string, partnerName: string, exceptAgreementId?: string): Promise<void> {
  const asOf = context.today;
  const existing = await context.db
    .getRepository(AccessRule)
    .createQueryBuilder('rule')
    .innerJoin(DataSharingAgreement, 'agreement', 'agreement.tenant_id = rule.tenant_id and agreement.id = rule.agreement_id')
    .where('rule.tenant_id = :me and rule.partner_organisation_id = :partnerId and rule.resource = :resource', { me: context.tenantId, partnerId, resource })
    .andWhere(`agreement.status = 'ACTIVE' and (agreement.valid_to is null or agreement.valid_to >= :asOf)`, { asOf })
    .andWhere(exceptAgreementId ? 'agreement.id <> :exceptAgreementId' : 'true', { exceptAgreementId })
    .getCount();
  if (existing > 0) {
    throw conflict(`An agreement with ${partnerName} already has a ${resource} rule in force or to come: change that rule, or revoke that agreement first`);
  }
}

// ---------------------------------------------------------------------------------------
// Writing: the owner's scheme admins (the shield's gate on each mutation). Every change is
// audited in the owner's log.

const actorPersonId = (context: RequestContext) => context.requirePersonId('Changing agreements');

export async function createAgreement(context: RequestContext, input: CreateDataSharingAgreementInput): Promise<DataSharingAgreement> {
  const createdBy = actorPersonId(context);
  const partnerId = idOf('Organisation', input.partnerOrganisationId, 'partnerOrganisationId');
  const problems: FieldProblem[] = [];
  if (partnerId === context.tenantId) problems.push({ field: 'partnerOrganisationId', message: 'An organisation cannot share with itself' });
  if (!isIsoDate(input.validFrom)) problems.push({ field: 'validFrom', message: 'Expected a date' });
  if (input.validTo && input.validTo < input.validFrom) problems.push({ field: 'validTo', message: 'Ends before it starts' });
  const resources = new Set<string>();
  input.rules.forEach((rule, index) => {
    if (resources.has(rule.resource)) problems.push({ field: `rules[${index}].resource`, message: 'Each resource has at most one rule per agreement' });
    resources.add(rule.resource);
    problems.push(...ruleProblems(draftOf(rule), `rules[${index}].`));
  });
  if (problems.length) throw badUserInput('The agreement is not valid', problems);
  const partner = await findOrganisation(context, partnerId);
  if (!partner) throw notFound('Partner organisation');
  if (input.activate !== false) {
    for (const rule of input.rules) await refuseSecondRule(context, partnerId, rule.resource, partner.name);
  }

  const id = randomUUID();
  await context.db.getRepository(DataSharingAgreement).insert({
    tenantId: context.tenantId,
    id,
    partnerOrganisationId: partnerId,
    title: input.title.trim(),
    purpose: input.purpose.trim(),
    lawfulBasis: input.lawfulBasis.trim(),
    validFrom: input.validFrom,
    validTo: input.validTo ?? null,
    status: input.activate === false ? 'DRAFT' : 'ACTIVE',
    ownerSignatory: input.ownerSignatory?.trim() || null,
    partnerSignatory: input.partnerSignatory?.trim() || null,
    createdBy,
  });
  if (input.rules.length) {
    await context.db.getRepository(AccessRule).insert(
      input.rules.map((rule) => ({
        tenantId: context.tenantId,
        id: randomUUID(),
        agreementId: id,
        partnerOrganisationId: partnerId,
        resource: rule.resource,
        actions: [...new Set(rule.actions)],
        fieldScope: [...new Set(rule.fieldScope ?? [])],
        conditions: conditionsFromInput(rule.conditions as Record<string, unknown> | null | undefined),
      })),
    );
  }
  const agreement = (await context.db.getRepository(DataSharingAgreement).findOneBy({ tenantId: context.tenantId, id })) as DataSharingAgreement;
  await recordAudit(context, {
    action: 'DATA_SHARING_AGREEMENT_CREATED',
    entityType: 'DataSharingAgreement',
    entityId: id,
    purpose: agreement.purpose,
    details: {
      partnerOrganisationId: partnerId,
      status: agreement.status,
      validFrom: agreement.validFrom,
      validTo: agreement.validTo,
      rules: input.rules.map((rule) => {
        const { resource, actions, fieldScope, conditions } = draftOf(rule);
        return { resource, actions, fieldScope, ...(Object.keys(conditions).length ? { conditions } : {}) };
      }),
    },
  });
  forgetAgreements(context);
  return agreement;
}

export async function revokeAgreement(context: RequestContext, input: RevokeDataSharingAgreementInput): Promise<DataSharingAgreement> {
  const revokedBy = actorPersonId(context);
  const id = idOf('DataSharingAgreement', input.id);
  const repository = context.db.getRepository(DataSharingAgreement);
  // A partner's admin sees the agreement but is not its owner: not found, as for strangers.
  const agreement = await repository.findOne({ where: { tenantId: context.tenantId, id }, lock: { mode: 'pessimistic_write' } });
  if (!agreement) throw notFound('Data sharing agreement');
  if (agreement.status === 'REVOKED') throw conflict('The agreement is already revoked');
  await repository.update(
    { tenantId: context.tenantId, id },
    { status: 'REVOKED', revokedAt: context.now, revokedBy, revocationReason: input.reason.trim() },
  );
  await recordAudit(context, {
    action: 'DATA_SHARING_AGREEMENT_REVOKED',
    entityType: 'DataSharingAgreement',
    entityId: id,
    purpose: agreement.purpose,
    details: { partnerOrganisationId: agreement.partnerOrganisationId, reason: input.reason.trim(), previousStatus: agreement.status },
  });
  forgetAgreements(context);
  return (await repository.findOneBy({ tenantId: context.tenantId, id })) as DataSharingAgreement;
}

// ---------------------------------------------------------------------------------------
// Access rules: read with their agreement by both parties; changed one at a time by the
// owner's scheme admins, each change audited in the owner's log with the rule before and after.

/** Cached reads of agreements and rules are dropped after a change, so the same request sees it. */
function forgetAgreements(context: RequestContext): void {
  forgetGrants(context);
  context.loaders.use(rulesByAgreementId).clearAll();
}

interface RuleInputShape {
  resource: SharedResource;
  actions: AccessAction[];
  fieldScope?: string[] | null;
  conditions?: object | null;
}

/** A rule as written in an input, deduplicated, before validation. */
function draftOf(rule: RuleInputShape) {
  return {
    resource: rule.resource,
    actions: [...new Set(rule.actions)],
    fieldScope: [...new Set(rule.fieldScope ?? [])],
    conditions: conditionsFromInput(rule.conditions as Record<string, unknown> | null | undefined),
  };
}

/** A rule's terms for an audit event's before/after: never free text about people. */
function termsOf(rule: Pick<AccessRule, 'resource' | 'actions' | 'fieldScope' | 'conditions'>) {
  return { resource: rule.resource, actions: [...rule.actions], fieldScope: [...rule.fieldScope], conditions: { ...rule.conditions } };
}

/** The conditions a rule applies today (defaults filled in), or null for a resource that takes none. */
export function conditionsOf(rule: AccessRule): Required<CarePlanConditions> | null {
  return CONDITION_KEYS[rule.resource].length ? effectiveCarePlanConditions(rule.conditions as CarePlanConditions) : null;
}

/**
 * The owner's agreement whose rules change, locked for the change. A partner's admin, who
 * sees the agreement, gets NOT_FOUND like a stranger: only the owner changes its rules. A
 * revoked agreement is history and keeps the rules it had.
 */
async function agreementForRuleChange(context: RequestContext, agreementId: string): Promise<DataSharingAgreement> {
  const agreement = await context.db
    .getRepository(DataSharingAgreement)
    .findOne({ where: { tenantId: context.tenantId, id: agreementId }, lock: { mode: 'pessimistic_write' } });
  if (!agreement) throw notFound('Data sharing agreement');
  if (agreement.status === 'REVOKED') throw conflict('The agreement is revoked; its rules are kept as they were. Make a new agreement instead');
  return agreement;
}

async function ownRule(context: RequestContext, globalId: string): Promise<AccessRule> {
  const id = idOf('AccessRule', globalId, 'ruleId');
  const rule = await context.db.getRepository(AccessRule).findOneBy({ tenantId: context.tenantId, id });
  if (!rule) throw notFound('Access rule');
  return rule;
}

async function auditRuleChange(
  context: RequestContext,
  action: 'ACCESS_RULE_ADDED' | 'ACCESS_RULE_UPDATED' | 'ACCESS_RULE_REMOVED',
  agreement: DataSharingAgreement,
  ruleId: string,
  before: ReturnType<typeof termsOf> | null,
  after: ReturnType<typeof termsOf> | null,
): Promise<void> {
  await recordAudit(context, {
    action,
    entityType: 'AccessRule',
    entityId: ruleId,
    purpose: agreement.purpose,
    details: { agreementId: agreement.id, partnerOrganisationId: agreement.partnerOrganisationId, before, after },
  });
}

export async function addAccessRule(context: RequestContext, input: AddAccessRuleInput): Promise<{ rule: AccessRule; agreement: DataSharingAgreement }> {
  actorPersonId(context);
  const agreementId = idOf('DataSharingAgreement', input.agreementId, 'agreementId');
  const draft = draftOf(input);
  const problems = ruleProblems(draft);
  if (problems.length) throw badUserInput('The access rule is not valid', problems);
  const agreement = await agreementForRuleChange(context, agreementId);
  const repository = context.db.getRepository(AccessRule);
  if (await repository.existsBy({ tenantId: context.tenantId, agreementId, resource: draft.resource })) {
    throw conflict(`The agreement already has a rule for ${draft.resource}: update that rule instead`);
  }
  if (agreement.status === 'ACTIVE') {
    await refuseSecondRule(context, agreement.partnerOrganisationId, draft.resource, await organisationNameOf(context, agreement.partnerOrganisationId), agreement.id);
  }
  const id = randomUUID();
  await repository.insert({
    tenantId: context.tenantId,
    id,
    agreementId,
    partnerOrganisationId: agreement.partnerOrganisationId,
    resource: draft.resource,
    actions: draft.actions,
    fieldScope: draft.fieldScope,
    conditions: draft.conditions,
  });
  const rule = (await repository.findOneBy({ tenantId: context.tenantId, id })) as AccessRule;
  await auditRuleChange(context, 'ACCESS_RULE_ADDED', agreement, id, null, termsOf(rule));
  forgetAgreements(context);
  return { rule, agreement };
}

export async function updateAccessRule(context: RequestContext, input: UpdateAccessRuleInput): Promise<{ rule: AccessRule; agreement: DataSharingAgreement }> {
  actorPersonId(context);
  const existing = await ownRule(context, input.ruleId);
  const draft = draftOf({
    resource: existing.resource,
    actions: input.actions ?? existing.actions,
    fieldScope: input.fieldScope ?? existing.fieldScope,
    conditions: input.conditions === undefined || input.conditions === null ? existing.conditions : input.conditions,
  });
  const problems = ruleProblems(draft);
  if (problems.length) throw badUserInput('The access rule is not valid', problems);
  const agreement = await agreementForRuleChange(context, existing.agreementId);
  const before = termsOf(existing);
  const after = termsOf({ ...existing, ...draft });
  const repository = context.db.getRepository(AccessRule);
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    await repository.update(
      { tenantId: context.tenantId, id: existing.id },
      { actions: draft.actions, fieldScope: draft.fieldScope, conditions: draft.conditions },
    );
    await auditRuleChange(context, 'ACCESS_RULE_UPDATED', agreement, existing.id, before, after);
    forgetAgreements(context);
  }
  return { rule: (await repository.findOneBy({ tenantId: context.tenantId, id: existing.id })) as AccessRule, agreement };
}

export async function removeAccessRule(context: RequestContext, input: RemoveAccessRuleInput): Promise<{ removedRuleId: string; agreement: DataSharingAgreement }> {
  actorPersonId(context);
  const existing = await ownRule(context, input.ruleId);
  const agreement = await agreementForRuleChange(context, existing.agreementId);
  await context.db.getRepository(AccessRule).delete({ tenantId: context.tenantId, id: existing.id });
  await auditRuleChange(context, 'ACCESS_RULE_REMOVED', agreement, existing.id, termsOf(existing), null);
  forgetAgreements(context);
  return { removedRuleId: existing.id, agreement };
}
