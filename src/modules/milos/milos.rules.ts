import { rule } from 'graphql-shield';
import type { RequestContext } from '../../platform/context';
import { forbidden } from '../../platform/errors';
import { hasRole, type ModulePermissions } from '../../platform/graphql/permissions';
import { mayOverseeSomeScheme } from './milo.policy';

const schemeAdmin = hasRole('SCHEME_ADMIN');

/**
 * The shallow check: may this caller ever oversee MILOs? Scheme admins, and people who are an
 * ACTIVE Lead MILO of some scheme today (from their membership, never a token claim). The
 * services then check the particular scheme.
 */
const overseesMilos = rule('overseesMilos', { cache: 'contextual' })(async (_parent, _args, context: RequestContext) =>
  (await mayOverseeSomeScheme(context)) ? true : forbidden('This needs a scheme admin or an active Lead MILO'),
);

export const miloPermissions: ModulePermissions = {
  Query: {
    milos: overseesMilos,
    milosWithTrainingExpiring: overseesMilos,
  },
  Mutation: {
    enrolMilo: schemeAdmin,
    changeMiloStatus: overseesMilos,
    updateMilo: schemeAdmin,
  },
  // A scheme is open to every member; how well its areas are covered is for those who oversee it.
  Scheme: { coverage: overseesMilos },
};
