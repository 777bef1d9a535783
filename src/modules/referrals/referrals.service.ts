import { randomUUID } from 'node:crypto';
import { auditCrossTenantReads, recordAudit, recordDenial, recordRefusal } from '../../platform/audit';
import type { RequestContext } from '../../platform/context';
import { badUserInput, conflict, forbidden, notFound } from '../../platform/errors';
import { idOf } from '../../platform/graphql/global-id';
import { paginate } from '../../platform/graphql/paginate';
import type { ConnectionArgs, ConnectionResult } from '../../platform/graphql/relay';
import { fieldsInScope, fieldsOutsideScope, grantFrom, grantTo, grantUnder, ownersGranting, type AccessAction, type Grant } from '../agreements';
import { organisationNameOf } from '../organisations';
import { visibleSignpostingServices } from '../signposting';
import { isAssignedMilo, maySeeCaseNotes, maySeeRequester, supportFreeTextExpired, type SupportRequest } from '../support';
import { canMoveReferral, REFERRAL_MOVES } from './referral-status';
import { Referral, type ReferralStatus } from './referral.entity';
import { referralById, referralsBySupportRequestId, supportRequestById } from './referrals.loaders';
import type { ReferToServiceInput, ReferralsReceivedFilter, UpdateReferralStatusInput } from './referrals.types';

/*
 * A referral belongs to the referring organisation (tenant_id) and is sent to the
 * organisation that owns the service (target_organisation_id) under the referring
 * organisation's data sharing agreement with it. Two sides, two sets of rules:
 *
 * - the referring side: the assigned MILO sends it; the colleague, the assigned MILO and the
 *   scheme's Leads follow it (who the colleague is, only as the support request allows);
 * - the receiving side: the target's partner users read it while the sender grants REFERRAL
 *   READ, see only the fields the rule's field scope names, and move its status while the
 *   sender grants CONTRIBUTE. Row-level security (partner_read, partner_contribute) enforces
 *   the same in PostgreSQL; every read and write is logged in the sender's audit log.
 */

export const ReferralAuditAction = {
  SENT: 'REFERRAL_SENT',
  REFUSED: 'REFERRAL_REFUSED',
  READ: 'REFERRAL_READ',
  STATUS_CHANGED: 'REFERRAL_STATUS_CHANGED',
  STATUS_CHANGE_REFUSED: 'REFERRAL_STATUS_CHANGE_REFUSED',
} as const;

/** The fields carrying the colleague's details: what an access rule's field scope governs. */
export type ReferralDetail = 'urgency' | 'reason' | 'colleagueName' | 'contactDetails';
/** Who the colleague is: on the referring side, shown only to those who may know (anonymous requests). */
const IDENTIFYING: ReadonlySet<ReferralDetail> = new Set(['colleagueName', 'contactDetails']);

const cleanText = (value: string | null | undefined) => value?.trim() || null;

function isReceived(context: RequestContext, referral: Referral): boolean {
  return referral.tenantId !== context.tenantId && referral.targetOrganisationId === context.tenantId;
}

/**
 * What the sender grants the caller's organisation for this referral today: the agreement it
 * was sent under while that stands, else another of the sender's in force (the policy, too,
 * asks only whether the sender grants the action).
 */
async function receivingGrant(context: RequestContext, referral: Referral, action: AccessAction): Promise<Grant | null> {
  return (await grantUnder(context, referral.agreementId, 'REFERRAL', action)) ?? grantFrom(context, referral.tenantId, 'REFERRAL', action);
}

/** Logs the receiving organisation's reads in each sender's log: one event per sender and purpose per batch. */
async function auditReceivedReads(context: RequestContext, referrals: readonly Referral[]): Promise<void> {
  const received = referrals.filter((referral) => isReceived(context, referral));
  const grants = await Promise.all(received.map((referral) => receivingGrant(context, referral, 'READ')));
  await auditCrossTenantReads(
    context,
    received.map((referral, index) => ({
      ownerTenantId: referral.tenantId,
      action: ReferralAuditAction.READ,
      entityType: 'Referral',
      entityId: referral.id,
      purpose: grants[index]?.agreement.purpose ?? null,
    })),
  );
}

// ---------------------------------------------------------------------------------------
// The referring side

/** Who follows a request's referrals: the colleague themself, the assigned MILO and the scheme's Leads. */
async function mayFollowReferralsOf(context: RequestContext, request: SupportRequest): Promise<boolean> {
  return request.requesterPersonId === context.viewer.personId || maySeeCaseNotes(context, request);
}

/** SupportRequest.referrals. */
export async function referralsOf(context: RequestContext, request: SupportRequest): Promise<Referral[]> {
  if (!(await mayFollowReferralsOf(context, request))) {
    throw forbidden("Only the colleague, the assigned MILO and the scheme's Lead MILOs may see a request's referrals");
  }
  return context.loaders.use(referralsBySupportRequestId).load(request.id);
}

/**
 * A referral's detail as the caller may see it: on the receiving side only the fields of the
 * rule's field scope (null otherwise); on the referring side everything, except who the
 * colleague is for those the request does not tell (a Lead, when the colleague asked anonymously).
 */
export async function referralDetail(context: RequestContext, referral: Referral, field: ReferralDetail): Promise<string | null> {
  if (referral.tenantId === context.tenantId) {
    if (IDENTIFYING.has(field) || field === 'reason') {
      const request = await context.loaders.use(supportRequestById).load(referral.supportRequestId);
      if (!request) return null;
      if (IDENTIFYING.has(field) && !(await maySeeRequester(context, request))) return null;
      // Past the scheme's retention the free text is gone on read, before the sweep nulls it
      // (the receiving side cannot read the request, so there it goes at the sweep).
      if (await supportFreeTextExpired(context, request)) return null;
    }
    return referral[field];
  }
  if (!isReceived(context, referral)) return null;
  const grant = await receivingGrant(context, referral, 'READ');
  return grant && fieldsInScope(grant.rule).includes(field) ? referral[field] : null;
}

/**
 * referral(id:) and node(id:), for both sides: the sender's followers (FORBIDDEN for other
 * members of the sender), and the receiver's partner users while the sender's agreement
 * grants READ (audited in the sender's log). Anyone else: null, as for a record that is not
 * there; a refusal is a DENIED event in the sender's log when the caller's organisation is
 * its partner under an agreement in force (see recordRefusal), and nowhere else.
 */
export async function findReferral(context: RequestContext, id: string): Promise<Referral | null> {
  const referral = await context.loaders.use(referralById).load(id);
  const refuse = (reason: string) => recordRefusal(context, { action: ReferralAuditAction.READ, entityType: 'Referral', entityId: id, reason });
  // Row-level security shows a partner only the referrals sent to it under a grant in force.
  if (!referral) {
    await refuse('NOT_SHARED');
    return null;
  }
  if (referral.tenantId === context.tenantId) {
    const request = await context.loaders.use(supportRequestById).load(referral.supportRequestId);
    if (!request || !(await mayFollowReferralsOf(context, request))) {
      throw forbidden("Only the colleague, the assigned MILO and the scheme's Lead MILOs may follow a referral");
    }
    return referral;
  }
  if (!isReceived(context, referral) || !(await receivingGrant(context, referral, 'READ'))) {
    await refuse('NOT_SHARED');
    return null;
  }
  if (!context.hasRole('PARTNER')) {
    await refuse('NOT_A_PARTNER_USER');
    throw forbidden('Referrals received are for partner users');
  }
  await auditReceivedReads(context, [referral]);
  return referral;
}

/**
 * Refers the colleague of a support request to a partner's service: by the assigned MILO,
 * with the colleague's consent, to a service shared with the organisation that accepts
 * referrals, under an agreement in force that grants its owner REFERRAL, and with nothing
 * outside that rule's field scope.
 */
export async function referToService(context: RequestContext, input: ReferToServiceInput): Promise<Referral> {
  const requestId = idOf('SupportRequest', input.supportRequestId, 'supportRequestId');
  const serviceId = idOf('SignpostingService', input.serviceId, 'serviceId');
  const referredBy = context.requirePersonId('Referring');
  if (input.consentConfirmed !== true) {
    throw badUserInput('A colleague is referred only with their consent', [{ field: 'consentConfirmed', message: 'Must be true' }]);
  }

  const request = await context.loaders.use(supportRequestById).load(requestId);
  if (!request) throw notFound('Support request');
  if (!(await isAssignedMilo(context, request))) throw forbidden('Only the MILO assigned to the support request may refer the colleague');
  if (request.status === 'CLOSED') throw conflict('The support request is closed');

  // Own or shared, and active; reading a partner's service is logged in its owner's log.
  const service = (await visibleSignpostingServices(context, [serviceId])).get(serviceId);
  if (!service) throw notFound('Signposting service');
  if (service.tenantId === context.tenantId) {
    const message = 'Referrals go to a partner organisation’s service; signpost to your own services instead';
    throw badUserInput(message, [{ field: 'serviceId', message: 'One of your own services' }]);
  }
  if (!service.acceptsReferrals) {
    throw badUserInput(`${service.name} does not accept referrals`, [{ field: 'serviceId', message: 'Does not accept referrals' }]);
  }

  const targetId = service.tenantId;
  // READ lets the receiver see it, CONTRIBUTE lets it answer; either makes a referral lawful.
  const grant = (await grantTo(context, targetId, 'REFERRAL', 'READ')) ?? (await grantTo(context, targetId, 'REFERRAL', 'CONTRIBUTE'));
  const targetName = await organisationNameOf(context, targetId);
  if (!grant) {
    recordDenial(context, {
      action: ReferralAuditAction.REFUSED,
      entityType: 'SupportRequest',
      entityId: request.id,
      details: { targetOrganisationId: targetId, serviceId, reason: 'NO_AGREEMENT_IN_FORCE' },
    });
    throw forbidden(`No data sharing agreement in force with ${targetName} allows referrals`);
  }

  const details = {
    urgency: input.urgency,
    reason: cleanText(input.reason),
    colleagueName: cleanText(input.colleagueName),
    contactDetails: cleanText(input.contactDetails),
  };
  const outside = fieldsOutsideScope(grant.rule, details);
  if (outside.length) {
    throw badUserInput(
      `The agreement with ${targetName} does not allow sending: ${outside.join(', ')}`,
      outside.map((field) => ({ field, message: "Outside the agreement's field scope: leave it out" })),
    );
  }

  const id = randomUUID();
  await context.db.getRepository(Referral).insert({
    tenantId: context.tenantId,
    id,
    supportRequestId: request.id,
    agreementId: grant.agreement.id,
    targetOrganisationId: targetId,
    serviceId: service.id,
    serviceName: service.name,
    referredBy,
    urgency: details.urgency,
    consentConfirmed: true,
    reason: details.reason,
    colleagueName: details.colleagueName,
    contactDetails: details.contactDetails,
    status: 'SENT',
  });
  await recordAudit(context, {
    action: ReferralAuditAction.SENT,
    entityType: 'Referral',
    entityId: id,
    purpose: grant.agreement.purpose,
    details: {
      supportRequestId: request.id,
      targetOrganisationId: targetId,
      serviceId: service.id,
      agreementId: grant.agreement.id,
      urgency: details.urgency,
      // Which fields went, never what they said.
      fieldsSent: Object.entries(details).flatMap(([field, value]) => (value ? [field] : [])),
    },
  });
  context.loaders.use(referralsBySupportRequestId).clear(request.id);
  return (await context.loaders.use(referralById).load(id)) as Referral;
}

// ---------------------------------------------------------------------------------------
// The receiving side

/** Keyset order of the intake: oldest first. Milliseconds, because cursors carry a JavaScript date. */
const RECEIVED_ORDER = { column: `date_trunc('milliseconds', referral.created_at)`, value: (row: Referral) => row.createdAt };

/**
 * The referrals sent to the caller's organisation by every organisation that grants it
 * REFERRAL READ today, oldest first (partner users). Loaded without a tenant filter: the
 * policy returns them; the owners list explains them. Each page read is audited.
 */
export async function listReferralsReceived(
  context: RequestContext,
  args: ConnectionArgs,
  filter: ReferralsReceivedFilter = {},
): Promise<ConnectionResult<Referral>> {
  const owners = [...(await ownersGranting(context, 'REFERRAL', 'READ')).keys()];
  const query = context.db
    .getRepository(Referral)
    .createQueryBuilder('referral')
    .where('referral.target_organisation_id = :me', { me: context.tenantId })
    .andWhere('referral.tenant_id = any(cast(:owners as uuid[]))', { owners });
  if (filter.status) query.andWhere('referral.status = :status', { status: filter.status });
  const page = await paginate(query, args, RECEIVED_ORDER);
  await auditReceivedReads(
    context,
    page.edges.map((edge) => edge.node),
  );
  return page;
}

/**
 * The receiving organisation moves a referral's status, forward only, while the sender grants
 * CONTRIBUTE. The change is logged in the sender's log. A referral the caller cannot read
 * (another organisation's, or its agreement revoked) is NOT_FOUND.
 */
export async function updateReferralStatus(context: RequestContext, input: UpdateReferralStatusInput): Promise<Referral> {
  const id = idOf('Referral', input.referralId, 'referralId');
  const referral = await context.loaders.use(referralById).load(id);
  if (!referral || !isReceived(context, referral) || !(await receivingGrant(context, referral, 'READ'))) {
    // The same NOT_FOUND whether the referral exists or not; the sender's log has the attempt
    // only when the caller's organisation is its partner today.
    await recordRefusal(context, {
      action: ReferralAuditAction.STATUS_CHANGE_REFUSED,
      entityType: 'Referral',
      entityId: id,
      reason: 'NOT_SHARED',
      details: { to: input.status },
    });
    throw notFound('Referral');
  }
  const grant = await receivingGrant(context, referral, 'CONTRIBUTE');
  if (!grant) {
    recordDenial(
      context,
      { action: ReferralAuditAction.STATUS_CHANGE_REFUSED, entityType: 'Referral', entityId: id, details: { to: input.status, reason: 'NO_CONTRIBUTE_RULE' } },
      referral.tenantId,
    );
    throw forbidden(`The agreement with ${await organisationNameOf(context, referral.tenantId)} lets you read its referrals but not update them`);
  }
  const from = referral.status;
  if (!canMoveReferral(from, input.status)) {
    const allowed = REFERRAL_MOVES[from];
    const message = `A referral cannot move from ${from} to ${input.status}`;
    throw badUserInput(message, [{ field: 'status', message: allowed.length ? `Allowed: ${allowed.join(', ')}` : 'No further moves' }]);
  }
  const result = await context.db.getRepository(Referral).update(
    { tenantId: referral.tenantId, id, status: from },
    {
      status: input.status as ReferralStatus,
      statusNote: cleanText(input.note),
      statusChangedAt: context.now,
      statusChangedByOrganisationId: context.tenantId,
    },
  );
  if (!result.affected) throw conflict('The referral’s status changed meanwhile; reload it and try again');
  await recordAudit(
    context,
    {
      action: ReferralAuditAction.STATUS_CHANGED,
      entityType: 'Referral',
      entityId: id,
      purpose: grant.agreement.purpose,
      outcome: 'ALLOWED',
      details: { from, to: input.status, agreementId: grant.agreement.id, withNote: Boolean(cleanText(input.note)) },
    },
    referral.tenantId,
  );
  context.loaders.use(referralById).clear(id);
  return (await context.loaders.use(referralById).load(id)) as Referral;
}
