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

export { AdviceRequest, SupportAssignment, SupportContact, SupportRequest, SupportSignposting };
export { SupportRequestStatus } from './support-request.entity';
export { AdviceRequestStatus } from './advice-request.entity';
export { Urgency, URGENCY_RANK } from './urgency';
export { AdviceRequestType, SupportContactType, SupportRequestType } from './support.types';
export { isAssignedMilo, isLeadOf, isRequesterOrReferrer, maySeeCaseNotes, maySeeRequest, maySeeRequester } from './support.policy';
export { findSupportRequest } from './support-requests.service';
export { supportRequestById, contactsByRequestId, signpostingByContactId } from './support.loaders';
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
