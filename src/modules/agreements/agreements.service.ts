import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { recordAudit } from '../../platform/audit';
import { isIsoDate, ukDateOf, type IsoDate } from '../../platform/calendar';
import type { LoaderFactory, RequestContext } from '../../platform/context';
import { badUserInput, conflict, forbidden, notFound, type FieldProblem } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { manyByKey } from '../../platform/graphql/batch';
import { Organisation } from '../organisations';
import { AccessRule } from './access-rule.entity';
import {
  agreementState,
  ruleAllows,
  unknownScopeFields,
  type AccessAction,
  type AgreementState,
  type SharedResource,
} from './access-rules';
import { DataSharingAgreement } from './data-sharing-agreement.entity';
import type { CreateDataSharingAgreementInput, RevokeDataSharingAgreementInput } from './agreements.types';

/** An agreement in force together with the rule of it that grants an action. */
export interface Grant {
  agreement: DataSharingAgreement;
  rule: AccessRule;
}

const todayOf = (context: RequestContext): IsoDate => ukDateOf(context.now);

export function stateOf(context: RequestContext, agreement: DataSharingAgreement): AgreementState {
  return agreementState(agreement, todayOf(context));
}

export const rulesByAgreementId: LoaderFactory<string, AccessRule[]> = (context) =>
  new DataLoader(async (agreementIds) => {
    // Both sides read rules: the owner through tenant isolation, the partner through partner_read.
    const rows = await context.db.getRepository(AccessRule).find({ where: { agreementId: In([...agreementIds]) }, order: { resource: 'ASC' } });
    return manyByKey(agreementIds, rows, (row) => row.agreementId);
  });

/**
 * Every agreement the caller's organisation is party to, as owner or partner, with its rules:
 * one read per request, however many records the request checks against it.
 */
const agreementsOfViewer: LoaderFactory<'all', Grant[]> = (context) =>
  new DataLoader(async () => {
    const agreements = await context.db
      .getRepository(DataSharingAgreement)
      .createQueryBuilder('agreement')
      .where('agreement.tenant_id = :me or agreement.partner_organisation_id = :me', { me: context.tenantId })
      .getMany();
    const rules = agreements.length
      ? await context.db.getRepository(AccessRule).find({ where: { agreementId: In(agreements.map((agreement) => agreement.id)) } })
      : [];
    const byId = new Map(agreements.map((agreement) => [agreement.id, agreement]));
    return [rules.flatMap((rule) => (byId.has(rule.agreementId) ? [{ agreement: byId.get(rule.agreementId)!, rule }] : []))];
  });

async function grants(context: RequestContext): Promise<Grant[]> {
  return context.loaders.use(agreementsOfViewer).load('all');
}

/**
 * What an owner organisation grants the caller's organisation for a resource and action
 * today, or null. Revocation and expiry therefore bite on the very next request.
 */
export async function grantFrom(context: RequestContext, ownerId: string, resource: SharedResource, action: AccessAction): Promise<Grant | null> {
  const asOf = todayOf(context);
  return (
    (await grants(context)).find(
      ({ agreement, rule }) =>
        agreement.tenantId === ownerId && agreement.partnerOrganisationId === context.tenantId && ruleAllows(agreement, rule, resource, action, asOf),
    ) ?? null
  );
}

/** The owners granting the caller's organisation this action on this resource today. */
export async function ownersGranting(context: RequestContext, resource: SharedResource, action: AccessAction): Promise<Map<string, Grant>> {
  const asOf = todayOf(context);
  const owners = new Map<string, Grant>();
  for (const grant of await grants(context)) {
    if (grant.agreement.partnerOrganisationId !== context.tenantId) continue;
    if (ruleAllows(grant.agreement, grant.rule, resource, action, asOf) && !owners.has(grant.agreement.tenantId)) {
      owners.set(grant.agreement.tenantId, grant);
    }
  }
  return owners;
}

/**
 * The grant of one particular agreement, when it is in force today and gives the caller's
 * organisation this action: a referral is read under the agreement it was sent under, while
 * that agreement stands. From the per-request cache, so a page of records costs no query.
 */
export async function grantUnder(context: RequestContext, agreementId: string, resource: SharedResource, action: AccessAction): Promise<Grant | null> {
  const asOf = todayOf(context);
  return (
    (await grants(context)).find(
      ({ agreement, rule }) =>
        agreement.id === agreementId && agreement.partnerOrganisationId === context.tenantId && ruleAllows(agreement, rule, resource, action, asOf),
    ) ?? null
  );
}

/** What the caller's own organisation grants a partner today (the sender's side of a referral). */
export async function grantTo(context: RequestContext, partnerId: string, resource: SharedResource, action: AccessAction): Promise<Grant | null> {
  const asOf = todayOf(context);
  return (
    (await grants(context)).find(
      ({ agreement, rule }) =>
        agreement.tenantId === context.tenantId && agreement.partnerOrganisationId === partnerId && ruleAllows(agreement, rule, resource, action, asOf),
    ) ?? null
  );
}

// ---------------------------------------------------------------------------------------
// Reading agreements: scheme admins and auditors of either party, and the partner's users.

function mayReadAgreements(context: RequestContext): boolean {
  return context.hasRole('SCHEME_ADMIN', 'AUDITOR', 'PARTNER');
}

export async function listAgreements(context: RequestContext): Promise<DataSharingAgreement[]> {
  if (!mayReadAgreements(context)) throw forbidden('Agreements are for scheme admins, auditors and partner users');
  const seen = new Map<string, DataSharingAgreement>();
  for (const { agreement } of await grants(context)) seen.set(agreement.id, agreement);
  // Agreements without rules yet are listed too.
  const bare = await context.db
    .getRepository(DataSharingAgreement)
    .createQueryBuilder('agreement')
    .where('agreement.tenant_id = :me or agreement.partner_organisation_id = :me', { me: context.tenantId })
    .getMany();
  for (const agreement of bare) seen.set(agreement.id, agreement);
  return [...seen.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

export async function findAgreement(context: RequestContext, id: string): Promise<DataSharingAgreement | null> {
  const agreement = await context.db.getRepository(DataSharingAgreement).findOneBy({ id });
  if (!agreement) return null;
  if (!mayReadAgreements(context)) throw forbidden('Agreements are for scheme admins, auditors and partner users');
  return agreement;
}

// ---------------------------------------------------------------------------------------
// Writing: the owner's scheme admins. Every change is audited in the owner's log.

function actorPersonId(context: RequestContext): string {
  if (!context.viewer.personId) throw forbidden('Changing agreements needs a person record for you in this organisation');
  return context.viewer.personId;
}

export async function createAgreement(context: RequestContext, input: CreateDataSharingAgreementInput): Promise<DataSharingAgreement> {
  context.requireRole('SCHEME_ADMIN');
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
    if (!rule.actions.length) problems.push({ field: `rules[${index}].actions`, message: 'Name at least one action' });
    const unknown = unknownScopeFields({ ...rule, fieldScope: rule.fieldScope ?? [] });
    if (unknown.length) problems.push({ field: `rules[${index}].fieldScope`, message: `Not fields of ${rule.resource}: ${unknown.join(', ')}` });
  });
  if (problems.length) throw badUserInput('The agreement is not valid', problems);
  const partner = await context.db.getRepository(Organisation).findOneBy({ id: partnerId });
  if (!partner) throw notFound('Partner organisation');

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
        conditions: {},
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
      rules: input.rules.map((rule) => ({ resource: rule.resource, actions: rule.actions, fieldScope: rule.fieldScope ?? [] })),
    },
  });
  context.loaders.use(agreementsOfViewer).clearAll();
  return agreement;
}

export async function revokeAgreement(context: RequestContext, input: RevokeDataSharingAgreementInput): Promise<DataSharingAgreement> {
  context.requireRole('SCHEME_ADMIN');
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
  context.loaders.use(agreementsOfViewer).clearAll();
  return (await repository.findOneBy({ tenantId: context.tenantId, id })) as DataSharingAgreement;
}
