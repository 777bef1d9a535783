import type { RequestContext } from '../../platform/context';
import type { Scheme } from './scheme.entity';
import { schemeById, schemesByOrganisationId } from './schemes.loaders';

/** Any member of the organisation may read its schemes: terms of reference are not secret inside it. */
export function findScheme(context: RequestContext, id: string): Promise<Scheme | null> {
  return context.loaders.use(schemeById).load(id);
}

export async function schemesOf(context: RequestContext, organisationId: string): Promise<Scheme[]> {
  if (organisationId !== context.tenantId) return [];
  return context.loaders.use(schemesByOrganisationId).load(organisationId);
}
