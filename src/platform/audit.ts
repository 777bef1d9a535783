import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import type { LoaderFactory, RequestContext } from './context';

export type { AuditEntry, AuditOutcome, KeptEvent } from './audit-entry';
import type { AuditEntry, KeptEvent } from './audit-entry';

/**
 * Appends an audit event to the data owner's log (docs/security.md, what is audited), inside the
 * request's transaction so the event and the change it records commit together. The owner
 * defaults to the caller's organisation; cross-tenant access names the owner explicitly.
 */
export async function recordAudit(context: RequestContext, entry: AuditEntry, ownerTenantId = context.tenantId): Promise<void> {
  await insertAuditEvent(context.db, context, entry, ownerTenantId);
}

/**
 * Records a refusal (outcome DENIED) that must outlive the refused operation: the request's
 * transaction rolls back on the error that follows, so the event is queued on the context and
 * written once the transaction has ended, in a transaction of its own with the same caller
 * (see the transaction plugin). Data protection officers need to see attempts, not only
 * successes (DPA 2018 s.62).
 */
export function recordDenial(context: RequestContext, entry: Omit<AuditEntry, 'outcome'>, ownerTenantId = context.tenantId): void {
  context.keptEvents.push({ entry: { ...entry, outcome: 'DENIED' }, ownerTenantId });
}

/**
 * The security-definer owner lookups of the migrations, by the type of record a partner can
 * name by id. Each looks in its own table only, and answers only for the caller's own records
 * and those of owners with an agreement in force naming the caller's organisation as partner
 * (app_partnered_owners): for anything else it returns null, exactly as for an unknown id.
 */
export const OWNER_LOOKUPS = {
  CarePlan: 'app_care_plan_owner',
  CarePlanInput: 'app_care_plan_input_owner',
  CareTeamMember: 'app_care_team_member_owner',
  CarePlanInternalNote: 'app_care_plan_internal_note_owner',
  Referral: 'app_referral_owner',
  SignpostingService: 'app_signposting_service_owner',
  DataSharingAgreement: 'app_data_sharing_agreement_owner',
  AccessRule: 'app_access_rule_owner',
  AuditEvent: 'app_audit_event_owner',
} as const;
export type PartnerNamedRecord = keyof typeof OWNER_LOOKUPS;

/** Whose record `id` is, when the caller may learn it (see OWNER_LOOKUPS); null otherwise. */
export async function knowableOwnerOf(context: RequestContext, entityType: PartnerNamedRecord, id: string): Promise<string | null> {
  const [row] = await context.db.query(`select ${OWNER_LOOKUPS[entityType]}($1) as owner`, [id]);
  return row?.owner ?? null;
}

/** The reason an attempt on an unknown id, or on a record of an unrelated owner, is logged with. */
export const UNKNOWN_RECORD = 'NOT_FOUND';

/**
 * Audits a refused attempt on a record the caller may not have (outcome DENIED, kept through
 * the rollback). In the owner's log, with the reason, when the caller's organisation is the
 * owner's partner under an agreement in force: the owner's data protection officer sees its
 * partners' attempts. Otherwise the id is unknown or the owner unrelated, and the two must
 * look the same to the caller: nothing goes to any other organisation's log (that would be
 * an unrelated tenant filling it), and a partner user's attempt goes to its own organisation's
 * log with one reason for both, so its own officer sees the probing. Returns the owner the
 * caller may know of, or null.
 */
export async function recordRefusal(
  context: RequestContext,
  attempt: Omit<AuditEntry, 'outcome' | 'entityId' | 'entityType'> & { entityType: PartnerNamedRecord; entityId: string; reason: string },
  options: { unknownReason?: string } = {},
): Promise<string | null> {
  const { reason, details, ...entry } = attempt;
  const owner = await knowableOwnerOf(context, attempt.entityType, attempt.entityId);
  if (owner) {
    recordDenial(context, { ...entry, details: { reason, ...details } }, owner);
  } else if (context.hasRole('PARTNER')) {
    recordDenial(context, { action: entry.action, entityType: entry.entityType, entityId: entry.entityId, details: { reason: options.unknownReason ?? UNKNOWN_RECORD } });
  }
  return owner;
}

/**
 * Records a disclosure that must be logged even if the operation later fails: reads of
 * another organisation's records and exports. Partial GraphQL responses carry the fields that
 * resolved, so an event written in the rolled-back transaction would be lost while the data
 * went out (DPA 2018 s.62). Kept events are written at the end of the request, in its
 * transaction when it commits and in a follow-up transaction when it rolls back.
 */
export function recordKeptAudit(context: RequestContext, entry: AuditEntry, ownerTenantId = context.tenantId, options: { withholdActor?: boolean } = {}): void {
  context.keptEvents.push({ entry, ownerTenantId, withholdActor: options.withholdActor });
}

/** Writes the request's kept events with the given manager, in one statement; empties the queue. */
export async function writeKeptEvents(context: RequestContext, manager: EntityManager): Promise<void> {
  const kept = context.keptEvents.splice(0);
  if (!kept.length) return;
  await insertAuditEvents(
    manager,
    context,
    kept.map(({ entry, ownerTenantId, withholdActor }) => ({ ...entry, ownerTenantId, withholdActor })),
  );
}

/** audit_event.purpose holds 500 characters; an agreement's purpose may be longer (2000). */
const PURPOSE_LIMIT = 500;
function auditPurpose(purpose: string | null | undefined): string | null {
  if (purpose == null) return null;
  return purpose.length <= PURPOSE_LIMIT ? purpose : `${purpose.slice(0, PURPOSE_LIMIT - 1)}…`;
}

async function insertAuditEvent(manager: EntityManager, context: RequestContext, entry: AuditEntry, ownerTenantId: string): Promise<void> {
  await manager.query(
    `insert into audit_event (tenant_id, actor_organisation_id, actor_person_id, actor_subject, action, entity_type, entity_id, purpose, outcome, details)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      ownerTenantId,
      context.tenantId,
      context.viewer.personId,
      context.viewer.subject,
      entry.action,
      entry.entityType,
      entry.entityId,
      auditPurpose(entry.purpose),
      entry.outcome ?? 'ALLOWED',
      JSON.stringify(entry.details ?? {}),
    ],
  );
}

/** An entry for a log that may not be the caller's: cross-tenant access names the owner. */
export interface OwnedAuditEntry extends AuditEntry {
  ownerTenantId?: string;
  /**
   * Name the caller's organisation but not the person: for reads where who looked is itself
   * sensitive and not needed by the owner (a colleague opening crisis lines in a partner's
   * directory must not show up by name in the partner's log).
   */
  withholdActor?: boolean;
}

/** actor_subject of an event whose person is withheld. */
export const WITHHELD_ACTOR = 'withheld';

/**
 * Appends several events, possibly to several owners' logs, in one statement: a page of
 * partner reads costs one insert however many owners it touched. No RETURNING: a partner may
 * append to an owner's log (policy actor_insert) but not read it back.
 */
async function insertAuditEvents(
  manager: EntityManager,
  context: RequestContext,
  entries: readonly OwnedAuditEntry[],
  ownerTenantId = context.tenantId,
): Promise<void> {
  if (!entries.length) return;
  const rows = entries.map((entry) => ({
    tenant_id: entry.ownerTenantId ?? ownerTenantId,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    purpose: auditPurpose(entry.purpose),
    outcome: entry.outcome ?? 'ALLOWED',
    details: entry.details ?? {},
    withhold_actor: entry.withholdActor ?? false,
  }));
  await manager.query(
    `insert into audit_event (tenant_id, actor_organisation_id, actor_person_id, actor_subject, action, entity_type, entity_id, purpose, outcome, details)
     select r.tenant_id, $1, case when r.withhold_actor then null else $2::uuid end, case when r.withhold_actor then $5 else $3 end,
            r.action, r.entity_type, r.entity_id, r.purpose, r.outcome, r.details
       from jsonb_to_recordset($4::jsonb)
         as r(tenant_id uuid, action text, entity_type text, entity_id uuid, purpose text, outcome text, details jsonb, withhold_actor boolean)`,
    [context.tenantId, context.viewer.personId, context.viewer.subject, JSON.stringify(rows), WITHHELD_ACTOR],
  );
}

/** One record of another organisation that the caller read. */
export interface CrossTenantRead {
  ownerTenantId: string;
  /** E.g. 'REFERRAL_READ'. */
  action: string;
  entityType: string;
  entityId: string;
  /** The purpose of the agreement that allowed the read. */
  purpose: string | null;
  /** See OwnedAuditEntry.withholdActor. */
  withholdActor?: boolean;
}

const readKey = (read: CrossTenantRead) =>
  JSON.stringify([read.ownerTenantId, read.action, read.entityType, read.purpose, read.withholdActor ?? false, read.entityId]);

/**
 * The request's cross-tenant reads, logged in each owner's log. Reads made in the same tick
 * (a page, the fields of a page) are one batch: one event per owner, action and purpose,
 * naming every record read, and all of them one insert. A record already logged in this
 * request is not logged again, so asking for it twice (a list and node(id:)) is one event.
 */
const crossTenantReadLog: LoaderFactory<string, true> = (context) =>
  new DataLoader(async (keys) => {
    const groups = new Map<string, { read: CrossTenantRead; ids: string[] }>();
    for (const key of keys) {
      const [ownerTenantId, action, entityType, purpose, withholdActor, entityId] = JSON.parse(key) as [
        string, string, string, string | null, boolean, string,
      ];
      const groupKey = JSON.stringify([ownerTenantId, action, entityType, purpose, withholdActor]);
      const group = groups.get(groupKey) ?? { read: { ownerTenantId, action, entityType, entityId, purpose, withholdActor }, ids: [] };
      group.ids.push(entityId);
      groups.set(groupKey, group);
    }
    // Kept, not written here: the data goes out even if the operation then fails.
    context.keptEvents.push(
      ...[...groups.values()].map(({ read, ids }) => ({
        ownerTenantId: read.ownerTenantId,
        withholdActor: read.withholdActor,
        entry: {
          action: read.action,
          entityType: read.entityType,
          entityId: ids.length === 1 ? ids[0] : null,
          purpose: read.purpose,
          details: { ids },
        },
      })),
    );
    return keys.map(() => true as const);
  });

/** Logs reads of other organisations' records in their owners' logs (see crossTenantReadLog). */
export async function auditCrossTenantReads(context: RequestContext, reads: readonly CrossTenantRead[]): Promise<void> {
  const foreign = reads.filter((read) => read.ownerTenantId !== context.tenantId);
  if (!foreign.length) return;
  await context.loaders.use(crossTenantReadLog).loadMany(foreign.map(readKey)).then((results) => {
    const failure = results.find((result) => result instanceof Error);
    if (failure) throw failure;
  });
}
