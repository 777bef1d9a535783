import type { EntityManager } from 'typeorm';

/**
 * Nulls the comments of feedback on support requests whose free text is past retention (the
 * support module names them) and stamps when. Returns how many comments it removed.
 */
export async function removeFeedbackComments(manager: EntityManager, tenantId: string, supportRequestIds: readonly string[], now: Date): Promise<number> {
  if (supportRequestIds.length === 0) return 0;
  const rows: Array<{ removed: number }> = await manager.query(
    `with changed as (
       update feedback set comment = null, comment_removed_at = $2
        where tenant_id = $1 and support_request_id = any($3::uuid[]) and comment is not null
       returning 1)
     select count(*)::int as removed from changed`,
    [tenantId, now, supportRequestIds],
  );
  return rows[0]?.removed ?? 0;
}
