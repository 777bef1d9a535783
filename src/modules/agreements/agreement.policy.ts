import { auditCrossTenantReads, recordKeptAudit, recordRefusal } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { forbidden } from '../../platform/errors';
import type { DataSharingAgreement } from './data-sharing-agreement.entity';
import { isPartnerOf } from './grants';

/*
 * The agreements module's access policy: who reads agreements and their rules (scheme admins
 * and auditors of either party, and the partner's users), and the audit of every read of an
 * owner's agreement by its partner and of every refusal (docs/architecture.md,
 * "Authorization"). The shield gates the root fields by the same roles.
 */

export const AGREEMENT_READERS_ONLY = 'Agreements are for scheme admins, auditors and partner users';

export function mayReadAgreements(context: RequestContext): boolean {
  return context.hasRole('SCHEME_ADMIN', 'AUDITOR', 'PARTNER');
}

/**
 * A partner reading an owner's agreements (and their rules) reads the owner's records: audited
 * there while it is the owner's partner. An agreement it was party to that has since ended,
 * with no other in force, it still reads (its own copy of what it signed), but the owner's log
 * is no longer its to write to: that read is kept in its own log.
 */
export async function auditAgreementReads(context: RequestContext, agreements: readonly DataSharingAgreement[]): Promise<void> {
  const foreign = agreements.filter((agreement) => agreement.tenantId !== context.tenantId);
  const partnered = await Promise.all(foreign.map((agreement) => isPartnerOf(context, agreement.tenantId)));
  const reads = foreign.map((agreement) => ({
    ownerTenantId: agreement.tenantId,
    action: 'DATA_SHARING_AGREEMENT_READ',
    entityType: 'DataSharingAgreement',
    entityId: agreement.id,
    purpose: agreement.purpose,
  }));
  await auditCrossTenantReads(context, reads.filter((_, index) => partnered[index]));
  const ended = reads.filter((_, index) => !partnered[index]).map((read) => read.entityId);
  if (ended.length) {
    recordKeptAudit(context, {
      action: 'DATA_SHARING_AGREEMENT_READ',
      entityType: 'DataSharingAgreement',
      entityId: ended.length === 1 ? ended[0] : null,
      details: { ids: ended, reason: 'NO_AGREEMENT_IN_FORCE_WITH_OWNER' },
    });
  }
}

/** An agreement or rule the caller asked for by id and may not have: audited as recordRefusal says. */
async function refuseAgreementRecord(context: RequestContext, entityType: 'DataSharingAgreement' | 'AccessRule', id: string, reason: string): Promise<void> {
  const action = entityType === 'AccessRule' ? 'ACCESS_RULE_READ' : 'DATA_SHARING_AGREEMENT_READ';
  await recordRefusal(context, { action, entityType, entityId: id, reason });
}


/**
 * An agreement or rule asked for by id (node(id:)), as row-level security returned it: null
 * when it showed none (an organisation sees the agreements it is party to, and no others),
 * FORBIDDEN for a caller of a party who reads no agreements; each refusal audited.
 */
export async function readableAgreementRecord<T extends { tenantId: string }>(
  context: RequestContext,
  entityType: 'DataSharingAgreement' | 'AccessRule',
  id: string,
  record: T | null,
): Promise<T | null> {
  if (!record) {
    await refuseAgreementRecord(context, entityType, id, 'NOT_A_PARTY');
    return null;
  }
  if (!mayReadAgreements(context)) {
    if (record.tenantId !== context.tenantId) await refuseAgreementRecord(context, entityType, id, 'NOT_AN_AGREEMENT_READER');
    throw forbidden(AGREEMENT_READERS_ONLY);
  }
  return record;
}
