import type { PlatformModule } from '../module';
import { AccessRule } from './access-rule.entity';
import { AccessRulesResolver, AgreementsResolver } from './agreements.resolver';
import { agreementPermissions } from './agreements.rules';
import { findAccessRule, findAgreement } from './agreements.service';
import { DataSharingAgreement } from './data-sharing-agreement.entity';

/*
 * Data sharing agreements and their access rules, and the rules by which a partner reads an
 * owner's records: the grants other modules' access policies ask, and the partner rule for
 * care plans (care-plan-sharing.ts), mirrored by the SQL policies.
 */

export { type AccessAction, fieldsInScope, fieldsOutsideScope } from './access-rules';
export { type CarePlanRefusalReason, carePlanRefusalMessage } from './care-plan-sharing';
export { carePlanSharingFor, grantFrom, grantTo, grantUnder, ownersGranting, sharesWith, type Grant } from './grants';

export const agreementsModule: PlatformModule = {
  name: 'agreements',
  entities: [DataSharingAgreement, AccessRule],
  resolvers: [AgreementsResolver, AccessRulesResolver],
  permissions: agreementPermissions,
  nodeTypes: [
    { typeName: 'DataSharingAgreement', entity: DataSharingAgreement, load: findAgreement },
    { typeName: 'AccessRule', entity: AccessRule, load: findAccessRule },
  ],
};
