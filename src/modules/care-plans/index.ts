import type { PlatformModule } from '../module';
import { CarePlanInput } from './care-plan-input.entity';
import { CarePlanInternalNote } from './care-plan-internal-note.entity';
import { findCarePlan, findCarePlanInput, findCareTeamMember, findInternalNote } from './care-plan-reading';
import { CarePlanSubject } from './care-plan-subject.entity';
import { CarePlanVersion } from './care-plan-version.entity';
import { CarePlan } from './care-plan.entity';
import {
  CarePlanInputResolver,
  CarePlanInternalNoteResolver,
  CarePlansResolver,
  CarePlanVersionResolver,
  CareTeamMemberResolver,
} from './care-plans.resolver';
import { carePlanPermissions } from './care-plans.rules';
import { CareTeamMember } from './care-team-member.entity';

/*
 * Care plans (issue 5): the owner's side (plans, their team, inputs, police-only notes,
 * versions, subject access and anonymisation) and the fields every reader of a plan resolves,
 * owner and partner alike. The partner surface (plans shared with us, contributing) and the
 * FHIR export build on what this file exports.
 */

export { CarePlan, CarePlanInput, CarePlanInternalNote, CarePlanSubject, CarePlanVersion, CareTeamMember };
export { CARE_PLAN_SECTIONS, CarePlanStatus, ConsentStatus, type CarePlanSection } from './care-plan.entity';
export { CarePlanInputKind, InputVisibility } from './care-plan-input.entity';
export {
  CarePlanConnection,
  CarePlanConsentType,
  CarePlanInputType,
  CarePlanInternalNoteType,
  CarePlanSubjectType,
  CarePlanType,
  CarePlanVersionType,
  CareTeamMemberType,
} from './care-plan.types';
export {
  accessTo,
  auditPartnerPlanReads,
  auditPartnerRefusal,
  fieldVisible,
  isCarePlanWorker,
  isOwnerCarePlanReader,
  isRefusal,
  type CarePlanAccess,
  type PartnerRefusal,
} from './care-plan-access';
export {
  carePlanById,
  carePlanInputById,
  careTeamByPlanId,
  careTeamMemberById,
  forgetPlan,
  inputsByPlanId,
  internalNotesByPlanId,
  subjectByPlanId,
  versionsByPlanId,
} from './care-plans.loaders';
export {
  careTeamOf,
  consentOf,
  findCarePlan,
  findCarePlanInput,
  findCareTeamMember,
  inputsOf,
  planAccess,
  reviewDueOnOf,
  reviewOverdueOf,
  sectionOf,
  subjectOf,
} from './care-plan-reading';
export { isReviewOverdue, isValidNhsNumber } from './care-plan-rules';
export { CarePlanAuditAction } from './care-plans.service';

export const carePlansModule: PlatformModule = {
  name: 'care-plans',
  entities: [CarePlan, CarePlanSubject, CarePlanInternalNote, CareTeamMember, CarePlanInput, CarePlanVersion],
  resolvers: [CarePlansResolver, CarePlanInputResolver, CareTeamMemberResolver, CarePlanInternalNoteResolver, CarePlanVersionResolver],
  permissions: carePlanPermissions,
  nodeTypes: [
    { typeName: 'CarePlan', entity: CarePlan, load: findCarePlan },
    { typeName: 'CarePlanInput', entity: CarePlanInput, load: findCarePlanInput },
    { typeName: 'CareTeamMember', entity: CareTeamMember, load: findCareTeamMember },
    { typeName: 'CarePlanInternalNote', entity: CarePlanInternalNote, load: findInternalNote },
  ],
};
