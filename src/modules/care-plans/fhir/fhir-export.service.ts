import { randomUUID } from 'node:crypto';
import type { Bundle } from '@medplum/fhirtypes';
import { IsNull } from 'typeorm';
import { recordKeptAudit } from '../../../platform/audit';
import type { RequestContext } from '../../../platform/context';
import { forbidden } from '../../../platform/errors';
import { idOf } from '../../../platform/graphql/global-id';
import { organisationById } from '../../organisations';
import { accessTo, auditPartnerRefusal, fieldVisible, isRefusal, partnerInputGrant, refusePartnerPlan, type CarePlanAccess } from '../care-plan.policy';
import { CarePlanInput } from '../care-plan-input.entity';
import { CarePlanInternalNote } from '../care-plan-internal-note.entity';
import { CarePlanSubject } from '../care-plan-subject.entity';
import { CARE_PLAN_SECTIONS, CarePlan } from '../care-plan.entity';
import { carePlanById } from '../care-plans.loaders';
import { CareTeamMember } from '../care-team-member.entity';
import { carePlanBundle, type ExportOrganisation, type ExportScope } from './care-plan-bundle';

/** The audit actions of the export, in the owner's log. */
export const FhirExportAuditAction = {
  EXPORTED: 'CARE_PLAN_EXPORTED',
  REFUSED: 'CARE_PLAN_EXPORT_REFUSED',
} as const;

/**
 * Exports a care plan as an HL7 FHIR R4 Bundle for the caller, with what
 * the caller may read of it and nothing more:
 *
 * - the owner's readers (ACTIVE MILOs and Leads, AUDITORs) get every field; owner-only
 *   material (INTERNAL inputs, police-only notes) only when they ask for it, labelled
 *   restricted, because an export leaves the platform's access control and is easily passed on;
 * - a partner's users get the fields of their agreement's scope: sections in scope, the
 *   subject's identity only under `subjectIdentity`, consent under `consent`, the review date
 *   under `reviewDueOn`, when the plan, its team and inputs date from under `timestamps`;
 *   SHARED inputs only, when the owner grants CARE_PLAN_INPUT READ; never internal material. Row-level security filters the rows the same way underneath.
 *
 * Every export is an event in the owner's log (with the agreement's purpose for a partner),
 * naming what went out; every refusal is a DENIED event that outlives the failed request.
 */
export async function exportCarePlanFhir(context: RequestContext, carePlanId: string, includeInternal: boolean): Promise<Bundle> {
  const planId = idOf('CarePlan', carePlanId, 'carePlanId');
  const plan = await context.loaders.use(carePlanById).load(planId);
  // Another organisation's plan the caller may not have: the same answer as carePlan(id:)
  // (FORBIDDEN naming the rule for a partner user, NOT_FOUND for anyone else or an id that is
  // no plan), audited as DENIED in the owner's log.
  if (!plan) throw await refusePartnerPlan(context, { action: FhirExportAuditAction.REFUSED, planId, plan: null });
  const access = await accessTo(context, plan);
  if (isRefusal(access) && plan.tenantId !== context.tenantId) {
    throw await refusePartnerPlan(context, { action: FhirExportAuditAction.REFUSED, planId, plan });
  }
  if (isRefusal(access)) {
    await refuse(context, planId, 'NOT_A_CARE_PLAN_READER');
    throw forbidden('Exporting a care plan needs an ACTIVE MILO or Lead MILO membership, or the AUDITOR role');
  }
  const purpose = access.kind === 'PARTNER' ? access.grant.agreement.purpose : null;
  if (includeInternal && access.kind === 'PARTNER') {
    await refuse(context, planId, 'INTERNAL_NOT_SHARED', purpose);
    throw forbidden("Internal inputs and police-only notes are the owner's only: no agreement shares them");
  }

  const scope: ExportScope = {
    sections: CARE_PLAN_SECTIONS.filter((section) => fieldVisible(access, section)),
    subjectIdentity: fieldVisible(access, 'subjectIdentity'),
    consent: fieldVisible(access, 'consent'),
    reviewDueOn: fieldVisible(access, 'reviewDueOn'),
    timestamps: fieldVisible(access, 'timestamps'),
    internal: includeInternal,
  };
  const [subject, team, inputs, internalNotes] = await Promise.all([
    scope.subjectIdentity ? context.db.getRepository(CarePlanSubject).findOneBy({ tenantId: plan.tenantId, carePlanId: plan.id }) : null,
    context.db.getRepository(CareTeamMember).find({
      where: { tenantId: plan.tenantId, carePlanId: plan.id, removedAt: IsNull() },
      order: { addedAt: 'ASC', id: 'ASC' },
    }),
    exportedInputs(context, plan, access, includeInternal),
    includeInternal
      ? context.db.getRepository(CarePlanInternalNote).find({
          where: { tenantId: plan.tenantId, carePlanId: plan.id, removedAt: IsNull() },
          order: { createdAt: 'ASC', id: 'ASC' },
        })
      : [],
  ]);

  const organisationIds = [...new Set([plan.tenantId, ...team.map((member) => member.memberOrganisationId), ...inputs.map((input) => input.authorOrganisationId)])];
  const organisations = new Map<string, ExportOrganisation>();
  for (const organisation of await context.loaders.use(organisationById).loadMany(organisationIds)) {
    if (organisation && !(organisation instanceof Error)) {
      organisations.set(organisation.id, { id: organisation.id, name: organisation.name, kind: organisation.kind, status: organisation.status });
    }
  }

  const bundleId = randomUUID();
  const bundle = carePlanBundle({ bundleId, timestamp: context.now, plan, organisations, subject, team, inputs, internalNotes, scope });

  // Kept whatever happens to the operation: the Bundle goes out with a partial response too.
  recordKeptAudit(
    context,
    {
      action: FhirExportAuditAction.EXPORTED,
      entityType: 'CarePlan',
      entityId: plan.id,
      purpose,
      // What went out, never what it said: the Bundle's id lets the owner match a file to it.
      details: {
        format: 'FHIR_R4_BUNDLE',
        bundleId,
        sections: scope.sections.filter((section) => plan[section]),
        subjectIdentity: Boolean(subject),
        consent: scope.consent && plan.consentStatus !== 'NOT_RECORDED',
        reviewDueOn: scope.reviewDueOn && plan.reviewDueOn !== null,
        timestamps: scope.timestamps,
        inputIds: inputs.filter((input) => input.body !== null).map((input) => input.id),
        internalNotes: internalNotes.filter((note) => note.body !== null).length,
        ...(access.kind === 'PARTNER' ? { agreementId: access.grant.agreement.id } : {}),
      },
    },
    plan.tenantId,
  );
  return bundle;
}

/**
 * The inputs that go out: the owner's SHARED ones (and INTERNAL ones on request); for a
 * partner, SHARED ones only while the owner grants it CARE_PLAN_INPUT READ. Row-level
 * security applies the same rules; these filters keep the export right on their own.
 */
async function exportedInputs(context: RequestContext, plan: CarePlan, access: CarePlanAccess, includeInternal: boolean): Promise<CarePlanInput[]> {
  if (access.kind === 'PARTNER' && !(await partnerInputGrant(context, plan.tenantId))) return [];
  const inputs = await context.db.getRepository(CarePlanInput).find({
    where: { tenantId: plan.tenantId, carePlanId: plan.id, removedAt: IsNull() },
    order: { createdAt: 'ASC', id: 'ASC' },
  });
  const internalAllowed = access.kind === 'OWNER' && includeInternal;
  return inputs.filter((input) => input.visibility === 'SHARED' || internalAllowed);
}

async function refuse(context: RequestContext, planId: string, reason: string, purpose: string | null = null): Promise<void> {
  await auditPartnerRefusal(context, { action: FhirExportAuditAction.REFUSED, entityType: 'CarePlan', entityId: planId, reason, purpose });
}
