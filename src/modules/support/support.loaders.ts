import DataLoader from 'dataloader';
import type { LoaderFactory } from '../../platform/context';
import { rowsByParent, tenantRowsById } from '../../platform/graphql/batch';
import { AdviceRequest } from './advice-request.entity';
import { SupportAssignment } from './support-assignment.entity';
import { SupportContact } from './support-contact.entity';
import { SupportRequest } from './support-request.entity';
import { SupportSignposting } from './support-signposting.entity';

/*
 * Every related row of a request loads through these, once per request and batch, so a list
 * of 40 requests with their contacts costs the statements of a list of 10.
 */

export const supportRequestById = tenantRowsById(SupportRequest);
export const supportContactById = tenantRowsById(SupportContact);
export const adviceRequestById = tenantRowsById(AdviceRequest);

/** Each request's contacts in the order they happened. */
export const contactsByRequestId = rowsByParent(SupportContact, 'supportRequestId', {
  order: { contactOn: 'ASC', createdAt: 'ASC', id: 'ASC' },
});

/** Services signposted in each contact. */
export const signpostingByContactId = rowsByParent(SupportSignposting, 'supportContactId', { order: { serviceName: 'ASC', id: 'ASC' } });

/** Each request's assignment history, oldest first. */
export const assignmentsByRequestId = rowsByParent(SupportAssignment, 'supportRequestId', { order: { assignedAt: 'ASC', id: 'ASC' } });

/** Requests ASSIGNED to each MILO now: their open caseload. */
export const openRequestsByMiloId = rowsByParent(SupportRequest, 'assignedMiloId', {
  where: { status: 'ASSIGNED' },
  order: { createdAt: 'ASC', id: 'ASC' },
});

/** How many requests are ASSIGNED to each MILO now, counted in SQL (no rows fetched). */
export const openCaseloadByMiloId: LoaderFactory<string, number> = (context) =>
  new DataLoader(async (miloIds) => {
    const rows: Array<{ milo_id: string; open: number }> = await context.db.query(
      `select assigned_milo_id as milo_id, count(*)::int as open
         from support_request
        where tenant_id = $1 and status = 'ASSIGNED' and assigned_milo_id = any($2::uuid[])
        group by assigned_milo_id`,
      [context.tenantId, [...miloIds]],
    );
    const counts = new Map(rows.map((row) => [row.milo_id, row.open]));
    return miloIds.map((id) => counts.get(id) ?? 0);
  });
