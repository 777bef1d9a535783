import type { EntityManager } from 'typeorm';

/**
 * Nulls what a referral says about the colleague (reason, name, contact details, status note)
 * once the support request it came from is past retention (the support module names them), and
 * stamps when. Returns how many referrals it cleared.
 */
export async function removeReferralFreeText(manager: EntityManager, tenantId: string, supportRequestIds: readonly string[], now: Date): Promise<number> {
  if (supportRequestIds.length === 0) return 0;
  const rows: Array<{ removed: number }> = await manager.query(
    `with changed as (
       update referral set reason = null, colleague_name = null, contact_details = null, status_note = null,
              free_text_removed_at = $2, updated_at = now()
        where tenant_id = $1 and support_request_id = any($3::uuid[]) and free_text_removed_at is null
       returning 1)
     select count(*)::int as removed from changed`,
    [tenantId, now, supportRequestIds],
  );
  return rows[0]?.removed ?? 0;
}
