import type { PlatformModule } from '../module';
import { AdviceRequest } from './advice-request.entity';
import { AdviceRequestsResolver } from './advice.resolver';
import { findAdviceRequest } from './advice.service';
import { findSupportContact } from './contacts.service';
import { SupportAssignment } from './support-assignment.entity';
import { SupportContact } from './support-contact.entity';
import { SupportRequest } from './support-request.entity';
import { SupportSignposting } from './support-signposting.entity';
import { findSupportRequest } from './support-requests.service';
import {
  MiloCaseloadResolver,
  SupportAssignmentResolver,
  SupportContactResolver,
  SupportRequestsResolver,
  SupportSignpostingResolver,
} from './support.resolver';
import { supportPermissions } from './support.rules';

export { AdviceRequest, SupportContact, SupportRequest };
export { AdviceRequestStatus } from './advice-request.entity';
export { Urgency } from './urgency';
export { SupportRequestType } from './support.types';
export { isAssignedMilo, isLeadOf, maySeeCaseNotes, maySeeRequester } from './support.policy';
export { supportRequestById } from './support.loaders';
export {
  adviceFreeTextExpired,
  expiredSupportRequestIds,
  removeExpiredSupportFreeText,
  supportFreeTextExpired,
  type SupportFreeTextRemoval,
} from './retention';
export { isFreeTextExpired, freeTextExpiresAt } from './retention-rules';

export const supportModule: PlatformModule = {
  name: 'support',
  entities: [SupportRequest, SupportAssignment, SupportContact, SupportSignposting, AdviceRequest],
  resolvers: [
    SupportRequestsResolver,
    SupportContactResolver,
    SupportAssignmentResolver,
    SupportSignpostingResolver,
    MiloCaseloadResolver,
    AdviceRequestsResolver,
  ],
  permissions: supportPermissions,
  nodeTypes: [
    { typeName: 'SupportRequest', entity: SupportRequest, load: findSupportRequest },
    { typeName: 'SupportContact', entity: SupportContact, load: findSupportContact },
    { typeName: 'AdviceRequest', entity: AdviceRequest, load: findAdviceRequest },
  ],
};
