import type { PlatformModule } from '../module';
import { Referral } from './referral.entity';
import { ReferralsResolver, SupportRequestReferralsResolver } from './referrals.resolver';
import { referralPermissions } from './referrals.rules';
import { findReferral } from './referrals.service';

export { Referral } from './referral.entity';
export { removeReferralFreeText } from './referral-retention';

export const referralsModule: PlatformModule = {
  name: 'referrals',
  entities: [Referral],
  resolvers: [ReferralsResolver, SupportRequestReferralsResolver],
  permissions: referralPermissions,
  nodeTypes: [{ typeName: 'Referral', entity: Referral, load: findReferral }],
};
