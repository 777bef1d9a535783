import type { PlatformModule } from '../../module';
import { FhirExportResolver } from './fhir-export.resolver';
import { fhirExportPermissions } from './fhir-export.rules';

/*
 * The HL7 FHIR R4 export of care plans: a plan as a Bundle, scoped to the
 * caller. Reads the care-plan entities and asks the care-plan access policy; owns no table.
 */

export const fhirExportModule: PlatformModule = {
  name: 'care-plan-fhir-export',
  entities: [],
  resolvers: [FhirExportResolver],
  permissions: fhirExportPermissions,
  nodeTypes: [],
};
