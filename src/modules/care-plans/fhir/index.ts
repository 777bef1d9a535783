import type { PlatformModule } from '../../module';
import { FhirExportResolver } from './fhir-export.resolver';
import { fhirExportPermissions } from './fhir-export.rules';

/*
 * The HL7 FHIR R4 export of care plans (issue 5, item 7): a plan as a Bundle, scoped to the
 * caller. Reads the care-plan entities and access functions; owns no table.
 */

export { carePlanBundle, type CarePlanExportSource, type ExportScope } from './care-plan-bundle';
export { FhirExportAuditAction, exportCarePlanFhir } from './fhir-export.service';

export const fhirExportModule: PlatformModule = {
  name: 'care-plan-fhir-export',
  entities: [],
  resolvers: [FhirExportResolver],
  permissions: fhirExportPermissions,
  nodeTypes: [],
};
