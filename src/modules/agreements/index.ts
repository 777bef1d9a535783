import type { PlatformModule } from '../module';
import { AccessRule } from './access-rule.entity';
import { AccessRulesResolver, AgreementsResolver } from './agreements.resolver';
import { agreementPermissions } from './agreements.rules';
import { findAccessRule, findAgreement } from './agreements.service';
import { DataSharingAgreement } from './data-sharing-agreement.entity';

export { AccessRule, DataSharingAgreement };
export {
  AccessAction,
  AgreementState,
  SharedResource,
  agreementState,
  carePlanConditionFailure,
  effectiveCarePlanConditions,
  fieldsInScope,
  fieldsOutsideScope,
  ruleAllows,
  type CarePlanConditionFailure,
  type CarePlanConditions,
} from './access-rules';
export {
  CarePlanRefusalReason,
  carePlanRefusalMessage,
  carePlanSharing,
  type CarePlanSharing,
  type SharingTerms,
} from './care-plan-sharing';
export { agreementsWith, grantFrom, grantTo, grantUnder, ownersGranting, sharesWith, type Grant } from './agreements.service';

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
