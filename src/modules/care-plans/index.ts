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
 * Care plans: the owner's side (plans, their team, inputs, police-only notes, versions,
 * subject access and anonymisation) and the fields every reader of a plan resolves, owner and
 * partner alike. Every decision about a plan is the access policy's (care-plan.policy.ts).
 * Exported: what the partner surface (plans shared with us, contributing) builds on.
 */

export { CarePlan, type CarePlanInput };
export { CarePlanStatus } from './care-plan.entity';
export { CarePlanConnection, CarePlanInputType, CarePlanType } from './care-plan.types';
export { isRefusal, partnerContributionTo, planAccess } from './care-plan.policy';
export { addPartnerInput } from './care-plans.service';

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
