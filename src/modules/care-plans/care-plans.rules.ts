import { rule } from 'graphql-shield';
import type { RequestContext } from '../../platform/context';
import { forbidden } from '../../platform/errors';
import { decodeGlobalId } from '../../platform/graphql/global-id';
import { allow, hasRole, isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';
import { auditPartnerRefusal, isCarePlanWorker, isOwnerCarePlanReader } from './care-plan-access';

/*
 * The shallow checks, from the caller's membership today (never a token claim): reading the
 * organisation's plans needs an ACTIVE MILO or Lead MILO, or an auditor; changing them an
 * ACTIVE MILO or Lead MILO. The services then check the particular plan (another
 * organisation's: NOT_FOUND or null). Partner users reach plans through their own queries and
 * carePlan(id:)/node(id:); the fields decide what they see.
 */

const ownerReader = rule('carePlans:ownerReader', { cache: 'contextual' })(async (_parent, _args, context: RequestContext) =>
  (await isOwnerCarePlanReader(context))
    ? true
    : forbidden("Care plans are for the organisation's active MILOs and Lead MILOs, and its auditors"),
);

/**
 * Changing plans. A partner user trying to change an owner's plan is refused here, and the
 * attempt is logged in the owner's log (outcome DENIED) so the owner's data protection officer
 * sees it: found by the security-definer owner lookup, since the partner may not see the plan.
 */
const carePlanWorker = rule('carePlans:worker', { cache: 'no_cache' })(async (_parent, args, context: RequestContext) => {
  if (await isCarePlanWorker(context)) return true;
  if (context.hasRole('PARTNER')) {
    const input = (args as { input?: { carePlanId?: unknown; careTeamMemberId?: unknown } }).input;
    const named = input?.carePlanId ?? input?.careTeamMemberId;
    const target = typeof named === 'string' ? decodeGlobalId(named) : undefined;
    if (target?.typeName === 'CarePlan' || target?.typeName === 'CareTeamMember') {
      await auditPartnerRefusal(context, {
        action: 'CARE_PLAN_CHANGE_REFUSED',
        entityType: target.typeName,
        entityId: target.id,
        reason: 'PARTNERS_DO_NOT_CHANGE_PLANS',
      });
    }
  }
  return forbidden("Changing care plans needs an active MILO or Lead MILO of the plan's organisation");
});

export const carePlanPermissions: ModulePermissions = {
  Query: {
    carePlans: ownerReader,
    carePlanReviewsDue: ownerReader,
    // Owners' readers and partners: the service decides per plan (FORBIDDEN, or null).
    carePlan: isAuthenticated,
    carePlanSubjectAccessExport: hasRole('AUDITOR'),
  },
  Mutation: {
    createCarePlan: carePlanWorker,
    updateCarePlan: carePlanWorker,
    recordCarePlanConsent: carePlanWorker,
    addCareTeamMember: carePlanWorker,
    removeCareTeamMember: carePlanWorker,
    addCarePlanInput: carePlanWorker,
    addCarePlanInternalNote: carePlanWorker,
    closeCarePlan: carePlanWorker,
    anonymiseCarePlan: hasRole('SCHEME_ADMIN'),
  },
  // Plans reach callers only through the entry points above, node(id:), payloads and the
  // partner module's queries, each of which checks the plan; every governed field decides for
  // itself (care-plan-reading.ts). Field maps, so the partner and FHIR modules add fields.
  CarePlan: { '*': allow },
  CarePlanInput: { '*': allow },
  CareTeamMember: { '*': allow },
  CarePlanConnection: allow,
  CarePlanEdge: allow,
  CarePlanConsent: allow,
  CarePlanSubject: allow,
  CarePlanInternalNote: allow,
  CarePlanVersion: allow,
  CreateCarePlanPayload: allow,
  UpdateCarePlanPayload: allow,
  RecordCarePlanConsentPayload: allow,
  AddCareTeamMemberPayload: allow,
  RemoveCareTeamMemberPayload: allow,
  AddCarePlanInputPayload: allow,
  AddCarePlanInternalNotePayload: allow,
  CloseCarePlanPayload: allow,
  AnonymiseCarePlanPayload: allow,
};
