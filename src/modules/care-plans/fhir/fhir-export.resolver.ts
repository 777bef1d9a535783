import { JSONObjectResolver } from 'graphql-scalars';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../../platform/context';
import { RECORD_EXPORT } from '../../../platform/graphql/cost';
import { exportCarePlanFhir } from './fhir-export.service';

@Resolver()
export class FhirExportResolver {
  /*
   * A query, not a mutation: it changes nothing the caller can see; the audit event it
   * writes is a side effect every read of another organisation's plan already has.
   */
  @Query(() => JSONObjectResolver, {
    complexity: RECORD_EXPORT,
    description:
      "A care plan as an HL7 FHIR R4 JSON Bundle (type `collection`): CarePlan (sections as labelled notes, inputs as notes), CareTeam, Consent when recorded, a Provenance per input, Organizations, and a Patient only when the caller may know who the subject is. It carries what the caller may read and nothing more: the owner's MILOs, Leads and AUDITORs get every field; a partner's users the fields of their agreement's scope and SHARED inputs only. Every export is logged in the owner's audit log (CARE_PLAN_EXPORTED, with the agreement's purpose for partners); refusals are logged as DENIED. NOT_FOUND for a plan the caller cannot see; FORBIDDEN for a caller of the owner who does not work its plans.",
  })
  exportCarePlanFhir(
    @Arg('carePlanId', () => ID) carePlanId: string,
    @Arg('includeInternal', () => Boolean, {
      defaultValue: false,
      description:
        "The owner only: add INTERNAL inputs and police-only notes, and label the Bundle restricted (v3 Confidentiality R). FORBIDDEN for partners, whatever their agreement.",
    })
    includeInternal: boolean,
    @Ctx() context: RequestContext,
  ) {
    return exportCarePlanFhir(context, carePlanId, includeInternal);
  }
}
