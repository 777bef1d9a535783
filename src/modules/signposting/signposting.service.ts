import { In } from 'typeorm';
import type { RequestContext } from '../../platform/context';
import { recordAudit } from '../../platform/audit';
import { SignpostingService } from './signposting-service.entity';

/**
 * Active services the caller's organisation may signpost to, by id: its own, and partners'
 * shared with it under an agreement in force. Row-level security decides which rows come
 * back (partner_read on signposting_service); reading a partner's record is audited in the
 * partner's log, one event per owner per request.
 */
export async function visibleSignpostingServices(context: RequestContext, ids: readonly string[]): Promise<Map<string, SignpostingService>> {
  if (!ids.length) return new Map();
  const rows = await context.db.getRepository(SignpostingService).findBy({ id: In([...new Set(ids)]), active: true });
  await auditPartnerReads(context, rows);
  return new Map(rows.map((row) => [row.id, row]));
}

/** One READ event in each owner's log for the partner services this request read. */
export async function auditPartnerReads(context: RequestContext, services: readonly SignpostingService[]): Promise<void> {
  const byOwner = new Map<string, string[]>();
  for (const service of services) {
    if (service.tenantId === context.tenantId) continue;
    byOwner.set(service.tenantId, [...(byOwner.get(service.tenantId) ?? []), service.id]);
  }
  for (const [ownerId, serviceIds] of byOwner) {
    await recordAudit(
      context,
      {
        action: 'SIGNPOSTING_SERVICES_READ',
        entityType: 'SignpostingService',
        entityId: serviceIds.length === 1 ? serviceIds[0] : null,
        purpose: 'Signposting directory',
        details: { serviceIds },
      },
      ownerId,
    );
  }
}
