import type { PlatformModule } from '../module';
import { PartnerCarePlansResolver } from './partner-care-plans.resolver';
import { partnerCarePlanPermissions } from './partner-care-plans.rules';

/**
 * The partner's surface of care plans: the plans shared with its organisation across every
 * owner, and its own inputs to them. Entities and the CarePlan type belong to care-plans.
 */
export const partnerCarePlansModule: PlatformModule = {
  name: 'partner-care-plans',
  entities: [],
  resolvers: [PartnerCarePlansResolver],
  permissions: partnerCarePlanPermissions,
  nodeTypes: [],
};
