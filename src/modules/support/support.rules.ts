import { rule } from 'graphql-shield';
import type { RequestContext } from '../../platform/context';
import { forbidden } from '../../platform/errors';
import { isAuthenticated, type ModulePermissions } from '../../platform/graphql/permissions';
import { callerMemberships } from '../milos';

/*
 * The shallow checks (may this caller ever triage, ever answer advice?), from the caller's
 * memberships today, never token claims. The services then check the particular scheme and
 * record: the colleague, the assigned MILO, the scheme's Leads (support.policy.ts).
 */

const leadsSomeScheme = rule('support:leadsSomeScheme', { cache: 'contextual' })(async (_parent, _args, context: RequestContext) =>
  (await callerMemberships(context).isActiveLead()) ? true : forbidden('This needs an active Lead MILO'),
);

const activeInSomeScheme = rule('support:activeInSomeScheme', { cache: 'contextual' })(async (_parent, _args, context: RequestContext) =>
  (await callerMemberships(context).isActive()) ? true : forbidden('This needs an active MILO or Lead MILO'),
);

export const supportPermissions: ModulePermissions = {
  Query: {
    // Any member: the service answers from the record (null, or FORBIDDEN when not theirs).
    supportRequest: isAuthenticated,
    adviceRequest: isAuthenticated,
    mySupportRequests: isAuthenticated,
    myAdviceRequests: isAuthenticated,
    myCaseload: isAuthenticated,
    supportQueue: leadsSomeScheme,
    supportRequests: leadsSomeScheme,
    caseloads: leadsSomeScheme,
    adviceQueue: activeInSomeScheme,
  },
  Mutation: {
    askForSupport: isAuthenticated,
    askForAdvice: isAuthenticated,
    assignSupportRequest: leadsSomeScheme,
    // The assigned MILO (who may no longer be ACTIVE) or a Lead: decided per request.
    logSupportContact: isAuthenticated,
    closeSupportRequest: isAuthenticated,
    answerAdviceRequest: activeInSomeScheme,
  },
};
