import type { RequestContext } from '../../platform/context';
import type { ConnectionArgs, ConnectionResult } from '../../platform/graphql/relay';
import { paginate } from '../../platform/graphql/paginate';
import { Organisation } from './organisation.entity';
import { organisationById } from './organisations.loaders';

/** The caller's own organisation. */
export function viewerOrganisation(context: RequestContext): Promise<Organisation | null> {
  return context.loaders.use(organisationById).load(context.tenantId);
}

/**
 * Any organisation's registry entry. The registry holds names and kinds, not personal data,
 * and partners need to know who they share with, so every caller may read it.
 */
export function findOrganisation(context: RequestContext, id: string): Promise<Organisation | null> {
  return context.loaders.use(organisationById).load(id);
}

/** An organisation's name for messages, through the request's loader; a stand-in when unknown. */
export async function organisationNameOf(context: RequestContext, id: string): Promise<string> {
  return (await findOrganisation(context, id))?.name ?? 'that organisation';
}

/** Every organisation on the platform, for platform operators. */
export function listOrganisations(context: RequestContext, args: ConnectionArgs): Promise<ConnectionResult<Organisation>> {
  const query = context.db.getRepository(Organisation).createQueryBuilder('organisation');
  return paginate(query, args, { column: 'organisation.slug', value: (row) => row.slug });
}
