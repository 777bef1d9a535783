import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { auditCrossTenantReads, recordAudit, recordRefusal } from '../../platform/audit';
import type { LoaderFactory, RequestContext } from '../../platform/context';
import { badUserInput, notFound } from '../../platform/errors';
import { oneByKey } from '../../platform/graphql/batch';
import { idOf } from '../../platform/graphql/global-id';
import { ownersGranting, sharesWith, type Grant } from '../agreements';
import { SignpostingService, type SignpostingCategory } from './signposting-service.entity';
import type { CreateSignpostingServiceInput, SignpostingServicesFilter, UpdateSignpostingServiceInput } from './signposting.types';

/*
 * The directory a caller sees is its own organisation's services and the services partners
 * share with it. Row-level security decides which rows come back (tenant_isolation, and
 * partner_read while the owner's agreement grants SIGNPOSTING_SERVICE READ); the service asks
 * the same question of the agreements (ownersGranting) so that what it returns is explained
 * by an agreement in force, and logs each partner read in the owner's log.
 */

/** Crisis lines first, then the organisation's own support, then everything else. */
const CATEGORY_ORDER: Record<SignpostingCategory, number> = {
  EMERGENCY: 0,
  NHS_CRISIS: 1,
  EMPLOYEE_SUPPORT: 2,
  OCCUPATIONAL_HEALTH: 3,
  PEER_SUPPORT: 4,
  CHARITY: 5,
  OTHER: 6,
};

export const SIGNPOSTING_READ_ACTION = 'SIGNPOSTING_SERVICES_READ';

function byDirectoryOrder(a: SignpostingService, b: SignpostingService): number {
  return CATEGORY_ORDER[a.category] - CATEGORY_ORDER[b.category] || a.name.localeCompare(b.name, 'en-GB') || a.id.localeCompare(b.id);
}

/** The owners sharing their directory with the caller's organisation today. */
function sharingOwners(context: RequestContext): Promise<Map<string, Grant>> {
  return ownersGranting(context, 'SIGNPOSTING_SERVICE', 'READ');
}

/**
 * Keeps the rows the caller may see: its own (any state when `ownInactive`), and active
 * partner services whose owner grants READ today. The database already filtered; this is the
 * explanation, and the second line should a policy ever be loosened.
 */
async function explained(context: RequestContext, rows: readonly SignpostingService[], ownInactive: boolean): Promise<SignpostingService[]> {
  const owners = await sharingOwners(context);
  return rows.filter((row) => (row.tenantId === context.tenantId ? ownInactive || row.active : row.active && owners.has(row.tenantId)));
}

/**
 * One READ event in each owner's log for the partner services this request read.
 * `withholdActor` names the reading organisation but not the person: for a colleague asking
 * for support, "this person was shown crisis lines" is sensitive and not the owner's business
 * (Caldicott: minimum necessary), and an anonymous request must stay anonymous.
 */
export async function auditPartnerReads(
  context: RequestContext,
  services: readonly SignpostingService[],
  options: { withholdActor?: boolean } = {},
): Promise<void> {
  const foreign = services.filter((service) => service.tenantId !== context.tenantId);
  if (!foreign.length) return;
  const owners = await sharingOwners(context);
  await auditCrossTenantReads(
    context,
    foreign.map((service) => ({
      ownerTenantId: service.tenantId,
      action: SIGNPOSTING_READ_ACTION,
      entityType: 'SignpostingService',
      entityId: service.id,
      purpose: owners.get(service.tenantId)?.agreement.purpose ?? null,
      withholdActor: options.withholdActor ?? false,
    })),
  );
}

/**
 * Services by id as row-level security lets the caller see them (its own in any state,
 * partners' while shared), without the audit: callers log what they hand out.
 */
const servicesByIdUnaudited: LoaderFactory<string, SignpostingService | null> = (context) =>
  new DataLoader(async (ids) => {
    const rows = await context.db.getRepository(SignpostingService).findBy({ id: In([...ids]) });
    const kept = await explained(context, rows, true);
    return oneByKey(ids, kept, (row) => row.id);
  });

/**
 * A service by id for a field of another record (a referral's service, a signposting given):
 * null when it is no longer shared with the caller. Partner services read are audited.
 */
export const signpostingServiceById: LoaderFactory<string, SignpostingService | null> = (context) =>
  new DataLoader(async (ids) => {
    const rows = await context.loaders.use(servicesByIdUnaudited).loadMany(ids);
    const found = rows.map((row) => (row instanceof Error ? null : row));
    await auditPartnerReads(
      context,
      found.filter((row): row is SignpostingService => row !== null),
    );
    return found;
  });

/**
 * Active services the caller's organisation may signpost to, by id: its own, and partners'
 * shared with it under an agreement in force. Reading a partner's record is audited in the
 * partner's log, one event per owner per request.
 */
export async function visibleSignpostingServices(context: RequestContext, ids: readonly string[]): Promise<Map<string, SignpostingService>> {
  if (!ids.length) return new Map();
  const rows = await context.loaders.use(servicesByIdUnaudited).loadMany([...new Set(ids)]);
  const active = rows.filter((row): row is SignpostingService => row !== null && !(row instanceof Error) && row.active);
  await auditPartnerReads(context, active);
  return new Map(active.map((row) => [row.id, row]));
}

/**
 * node(id:): the caller's own service in any state, a partner's while shared and active.
 * Anything else is null; a service of an owner the caller's organisation is a partner of
 * (not shared with it, or retired) is a DENIED event in that owner's log (see recordRefusal).
 */
export async function findSignpostingService(context: RequestContext, id: string): Promise<SignpostingService | null> {
  const service = await context.loaders.use(servicesByIdUnaudited).load(id);
  if (!service) {
    await recordRefusal(context, { action: SIGNPOSTING_READ_ACTION, entityType: 'SignpostingService', entityId: id, reason: 'NOT_SHARED' });
    return null;
  }
  await auditPartnerReads(context, [service]);
  return service;
}

/** The directory: own and shared services, crisis lines first, filtered. Any member of the organisation. */
export async function listSignpostingServices(
  context: RequestContext,
  filter: SignpostingServicesFilter = {},
  audit: { withholdActor?: boolean } = {},
): Promise<SignpostingService[]> {
  const query = context.db.getRepository(SignpostingService).createQueryBuilder('service');
  // No tenant filter: partner rows come through partner_read. Partners' retired services never do.
  if (filter.includeInactive) query.where('(service.active or service.tenant_id = :me)', { me: context.tenantId });
  else query.where('service.active');
  if (filter.category) query.andWhere('service.category = :category', { category: filter.category });
  if (filter.crisisOnly) query.andWhere('service.crisis');
  const rows = await explained(context, await query.getMany(), Boolean(filter.includeInactive));
  await auditPartnerReads(context, rows, audit);
  return rows.sort(byDirectoryOrder);
}

/**
 * What to offer at once when a request says someone is at immediate risk: the active crisis
 * services of the organisation and of partners sharing with it, emergency first. Audited.
 */
export async function crisisServicesFor(context: RequestContext): Promise<SignpostingService[]> {
  const services = await listSignpostingServices(context, { crisisOnly: true }, { withholdActor: true });
  // An agreement is written by its owner alone, so any organisation could push a "crisis line"
  // into this list. What someone at immediate risk is shown comes only from the organisation
  // itself and from partners it has chosen to work with (an agreement of its own in force
  // with them, as the police and fire have with the occupational-health unit).
  const trusted = await Promise.all(services.map((service) => service.tenantId === context.tenantId || sharesWith(context, service.tenantId)));
  return services.filter((_, index) => trusted[index]);
}

// ---------------------------------------------------------------------------------------
// Keeping the directory (the owner's scheme admins)

function cleanText(value: string | null | undefined): string | null {
  return value?.trim() || null;
}

function snapshot(service: SignpostingService) {
  const { name, category, description, phone, email, website, availability, eligibility, crisis, acceptsReferrals, active } = service;
  return { name, category, description, phone, email, website, availability, eligibility, crisis, acceptsReferrals, active };
}

async function nameTaken(context: RequestContext, name: string, exceptId?: string): Promise<boolean> {
  const query = context.db
    .getRepository(SignpostingService)
    .createQueryBuilder('service')
    .where('service.tenant_id = :me and lower(service.name) = lower(:name)', { me: context.tenantId, name });
  if (exceptId) query.andWhere('service.id <> :exceptId', { exceptId });
  return (await query.getCount()) > 0;
}

const nameProblem = (name: string) => badUserInput(`Your directory already has a service called "${name}"`, [{ field: 'name', message: 'Already used' }]);

export async function createSignpostingService(context: RequestContext, input: CreateSignpostingServiceInput): Promise<SignpostingService> {
  const name = input.name.trim();
  if (await nameTaken(context, name)) throw nameProblem(name);
  const repository = context.db.getRepository(SignpostingService);
  const id = randomUUID();
  await repository.insert({
    tenantId: context.tenantId,
    id,
    name,
    category: input.category,
    description: cleanText(input.description),
    phone: cleanText(input.phone),
    email: cleanText(input.email),
    website: cleanText(input.website),
    availability: cleanText(input.availability),
    eligibility: cleanText(input.eligibility),
    crisis: input.crisis ?? false,
    acceptsReferrals: input.acceptsReferrals ?? false,
    active: true,
  });
  const service = (await repository.findOneBy({ tenantId: context.tenantId, id })) as SignpostingService;
  await recordAudit(context, { action: 'SIGNPOSTING_SERVICE_CREATED', entityType: 'SignpostingService', entityId: id, details: { after: snapshot(service) } });
  return service;
}

/**
 * Changes one of the caller's own services. A partner's service is not found here (the
 * lookup is by the caller's tenant), and the database would refuse it anyway: partners
 * hold only partner_read, a SELECT policy, on signposting_service.
 */
export async function updateSignpostingService(context: RequestContext, input: UpdateSignpostingServiceInput): Promise<SignpostingService> {
  const id = idOf('SignpostingService', input.id);
  const repository = context.db.getRepository(SignpostingService);
  // Locked, so two admins editing at once apply one after the other and the audit's "before" is true.
  const before = await repository.findOne({ where: { tenantId: context.tenantId, id }, lock: { mode: 'pessimistic_write' } });
  if (!before) throw notFound('Signposting service');
  const changes: Partial<SignpostingService> = {};
  if (input.name != null) {
    const name = input.name.trim();
    if (name !== before.name && (await nameTaken(context, name, id))) throw nameProblem(name);
    changes.name = name;
  }
  if (input.category != null) changes.category = input.category;
  for (const field of ['description', 'phone', 'email', 'website', 'availability', 'eligibility'] as const) {
    if (input[field] !== undefined) changes[field] = cleanText(input[field]);
  }
  if (input.crisis != null) changes.crisis = input.crisis;
  if (input.acceptsReferrals != null) changes.acceptsReferrals = input.acceptsReferrals;
  if (input.active != null) changes.active = input.active;
  if (!Object.keys(changes).length) throw badUserInput('Nothing to change');
  await repository.update({ tenantId: context.tenantId, id }, changes);
  const service = (await repository.findOneBy({ tenantId: context.tenantId, id })) as SignpostingService;
  await recordAudit(context, {
    action: input.active === false && before.active ? 'SIGNPOSTING_SERVICE_RETIRED' : 'SIGNPOSTING_SERVICE_UPDATED',
    entityType: 'SignpostingService',
    entityId: id,
    details: { before: snapshot(before), after: snapshot(service) },
  });
  context.loaders.use(servicesByIdUnaudited).clear(id);
  return service;
}
