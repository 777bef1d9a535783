import type { PlatformModule } from '../module';
import { Referral } from './referral.entity';
import { ReferralsResolver, SupportRequestReferralsResolver } from './referrals.resolver';
import { referralPermissions } from './referrals.rules';
import { findReferral } from './referrals.service';

export { Referral, ReferralStatus } from './referral.entity';
export { ReferralType } from './referrals.types';
export { removeReferralFreeText } from './referral-retention';
export { ReferralAuditAction } from './referrals.service';

export const referralsModule: PlatformModule = {
  name: 'referrals',
  entities: [Referral],
  resolvers: [ReferralsResolver, SupportRequestReferralsResolver],
  permissions: referralPermissions,
  nodeTypes: [{ typeName: 'Referral', entity: Referral, load: findReferral }],
};
