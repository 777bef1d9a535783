import type { PlatformModule } from '../module';
import { AccessRule } from './access-rule.entity';
import { AgreementsResolver } from './agreements.resolver';
import { agreementPermissions } from './agreements.rules';
import { findAgreement } from './agreements.service';
import { DataSharingAgreement } from './data-sharing-agreement.entity';

export { AccessRule, DataSharingAgreement };
export {
  AccessAction,
  AgreementState,
  SharedResource,
  agreementState,
  carePlanConditionFailure,
  fieldsInScope,
  fieldsOutsideScope,
  ruleAllows,
  type CarePlanConditionFailure,
  type CarePlanConditions,
} from './access-rules';
export { grantFrom, grantTo, grantUnder, ownersGranting, type Grant } from './agreements.service';

export const agreementsModule: PlatformModule = {
  name: 'agreements',
  entities: [DataSharingAgreement, AccessRule],
  resolvers: [AgreementsResolver],
  permissions: agreementPermissions,
  nodeTypes: [{ typeName: 'DataSharingAgreement', entity: DataSharingAgreement, load: findAgreement }],
};
