import { recordRefusal } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { badUserInput, forbidden } from '../../platform/errors';
import { decodeGlobalId, idOf, toGlobalId } from '../../platform/graphql/global-id';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, nodeType, type ConnectionArgs, type ConnectionResult } from '../../platform/graphql/relay';
import { AuditEvent } from './audit-event.entity';
import type { AuditEventsFilter } from './audit-log.types';

/*
 * The audit log as data protection officers (AUDITOR) read it (DPA 2018 s.62). Which events a caller gets is row-level security's answer, not a filter here:
 * - its own organisation's log (tenant_isolation): everything done to its records, by its
 *   own users and by partners' users (with the partner's organisation and subject);
 * - the events of its own users in other organisations' logs (actor_read): what its users
 *   did with records shared with them.
 * Newest first, by (occurred_at, id) descending, with keyset cursors.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireAuditor(context: RequestContext): void {
  if (!context.hasRole('AUDITOR')) throw forbidden('The audit log is for data protection officers (AUDITOR)');
}

/** A record id from a global ID or a database id; BAD_USER_INPUT for anything else. */
function recordId(value: string): string {
  const decoded = decodeGlobalId(value);
  if (decoded) return decoded.id;
  if (UUID.test(value)) return value.toLowerCase();
  throw badUserInput('"filter.entityId" is not an ID', [{ field: 'filter.entityId', message: 'Expected a global ID or a database id' }]);
}

const encodeCursor = (occurredAt: string, id: string) => Buffer.from(JSON.stringify([occurredAt, id]), 'utf8').toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && UUID.test(parsed[1]) && !Number.isNaN(Date.parse(parsed[0]))) {
      return parsed as [string, string];
    }
  } catch {
    // fall through to the error below
  }
  throw badUserInput('"after" is not a cursor from this connection', [{ field: 'after', message: 'Invalid cursor' }]);
}

export async function listAuditEvents(context: RequestContext, args: ConnectionArgs, filter: AuditEventsFilter = {}): Promise<ConnectionResult<AuditEvent>> {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) throw badUserInput(`"first" must be between 0 and ${MAX_PAGE_SIZE}`, [{ field: 'first', message: 'Out of range' }]);
  if (filter.from && filter.to && filter.to <= filter.from) {
    throw badUserInput('"to" must be after "from"', [{ field: 'filter.to', message: 'Before or at "from"' }]);
  }

  const query = context.db
    .getRepository(AuditEvent)
    .createQueryBuilder('event')
    // What the policies let through, said again so the planner can use the indexes leading
    // with tenant_id and with actor_organisation_id.
    .where('(event.tenant_id = :me or event.actor_organisation_id = :me)', { me: context.tenantId });
  if (filter.ownerOrganisationId) {
    query.andWhere('event.tenant_id = :owner', { owner: idOf('Organisation', filter.ownerOrganisationId, 'filter.ownerOrganisationId') });
  }
  if (filter.actorOrganisationId) {
    query.andWhere('event.actor_organisation_id = :actor', { actor: idOf('Organisation', filter.actorOrganisationId, 'filter.actorOrganisationId') });
  }
  if (filter.entityType) query.andWhere('event.entity_type = :entityType', { entityType: filter.entityType });
  if (filter.entityId) {
    // A page read names its records in details.ids (one event for the page), so "who saw
    // plan X" finds those too.
    query.andWhere(`(event.entity_id = :entityId or event.details -> 'ids' @> jsonb_build_array(cast(:entityId as text)))`, {
      entityId: recordId(filter.entityId),
    });
  }
  if (filter.action) query.andWhere('event.action = :action', { action: filter.action });
  if (filter.outcome) query.andWhere('event.outcome = :outcome', { outcome: filter.outcome });
  if (filter.from) query.andWhere('event.occurred_at >= :from', { from: filter.from });
  if (filter.to) query.andWhere('event.occurred_at < :to', { to: filter.to });

  const counting = query.clone();
  if (args.after) {
    const [occurredAt, id] = decodeCursor(args.after);
    query.andWhere('(event.occurred_at, event.id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid))', { afterAt: occurredAt, afterId: id });
  }
  // The cursor carries PostgreSQL's own microseconds, which a JavaScript date would round.
  const { entities, raw } = await query
    .addSelect(`to_char(event.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'cursor_at')
    .orderBy('event.occurred_at', 'DESC')
    .addOrderBy('event.id', 'DESC')
    .limit(first + 1)
    .getRawAndEntities();
  const cursorAt = new Map<string, string>(raw.map((row: { event_id: string; cursor_at: string }) => [row.event_id, row.cursor_at]));
  const edges = entities.slice(0, first).map((node) => ({ node, cursor: encodeCursor(cursorAt.get(node.id) as string, node.id) }));
  return {
    edges,
    pageInfo: { hasNextPage: entities.length > first, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    get totalCount() {
      return counting.getCount();
    },
  };
}

/**
 * node(id:) for an event: of the caller's own log, or by its own users in another's log. An
 * event of a partnered owner's log by someone else is a DENIED event in that owner's log
 * (see recordRefusal); any other id is simply not there.
 */
export async function findAuditEvent(context: RequestContext, id: string): Promise<AuditEvent | null> {
  requireAuditor(context);
  const event = await context.db.getRepository(AuditEvent).findOneBy({ id });
  if (!event) await recordRefusal(context, { action: 'AUDIT_EVENT_READ', entityType: 'AuditEvent', entityId: id, reason: 'NOT_YOUR_USERS_EVENT' });
  return event;
}

/**
 * The events of the caller's own log about any of these records: naming one as the event's
 * record, naming the parent record in `details` (events about its children), or listing one
 * in details.ids (a page read: one event for the page). Oldest first. For exports of
 * everything the organisation holds about a record.
 */
export async function auditEventsAbout(
  context: RequestContext,
  recordIds: readonly string[],
  parent: { detailsKey: string; id: string },
): Promise<AuditEvent[]> {
  return context.db
    .getRepository(AuditEvent)
    .createQueryBuilder('event')
    .where('event.tenant_id = :me', { me: context.tenantId })
    .andWhere(
      `(event.entity_id = any(cast(:ids as uuid[])) or event.details ->> cast(:detailsKey as text) = :parentId or event.details -> 'ids' ?| cast(:ids as text[]))`,
      { ids: [...recordIds], detailsKey: parent.detailsKey, parentId: parent.id },
    )
    .orderBy('event.occurred_at', 'ASC')
    .addOrderBy('event.id', 'ASC')
    .getMany();
}

/** The event's record as an ID: the global ID when the type is a Node of the schema, else the database id. */
export function entityIdOf(event: AuditEvent): string | null {
  if (!event.entityId) return null;
  return nodeType(event.entityType) ? toGlobalId(event.entityType, event.entityId) : event.entityId;
}
