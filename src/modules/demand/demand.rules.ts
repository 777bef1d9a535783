import { rule } from 'graphql-shield';
import type { RequestContext } from '../../platform/context';
import { forbidden } from '../../platform/errors';
import { type ModulePermissions } from '../../platform/graphql/permissions';
import { callerMemberships } from '../milos';

/**
 * The shallow check: scheme admins, auditors, and people who are an ACTIVE Lead MILO of some
 * scheme today. The service then checks the scheme asked for.
 */
const readsDemandFigures = rule('readsDemandFigures', { cache: 'contextual' })(async (_parent, _args, context: RequestContext) =>
  context.hasRole('SCHEME_ADMIN', 'AUDITOR') || (await callerMemberships(context).isActiveLead())
    ? true
    : forbidden("Demand figures are for scheme admins, auditors and the scheme's active Lead MILOs"),
);

export const demandPermissions: ModulePermissions = {
  Query: { demandFigures: readsDemandFigures },
};
