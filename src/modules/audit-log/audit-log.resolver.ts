import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { ConnectionArgs } from '../../platform/graphql/relay';
import { OrganisationType, organisationById } from '../organisations';
import { PersonType, personById } from '../people';
import type { AuditEvent } from './audit-event.entity';
import { AuditEventConnection, AuditEventType, AuditEventsFilter } from './audit-log.types';
import { entityIdOf, listAuditEvents } from './audit-log.service';

@Resolver(() => AuditEventType)
export class AuditLogResolver {
  @Query(() => AuditEventConnection, {
    description:
      "Audit events, newest first (data protection officers: AUDITOR): every event of the caller's organisation's own log (what was done to its records, by its users and by partners' users), and the events of its own users in other organisations' logs (what they did with records shared with them).",
  })
  auditEvents(
    @Args() args: ConnectionArgs,
    @Arg('filter', () => AuditEventsFilter, { nullable: true }) filter: AuditEventsFilter | undefined,
    @Ctx() context: RequestContext,
  ) {
    return listAuditEvents(context, args, filter ?? {});
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The record: a global ID where the schema has the type as a Node, else its database id.' })
  entityId(@Root() event: AuditEvent) {
    return entityIdOf(event);
  }

  @FieldResolver(() => OrganisationType, { description: "Whose log the event is in: the organisation whose record it is about." })
  ownerOrganisation(@Root() event: AuditEvent, @Ctx() context: RequestContext) {
    return context.loaders.use(organisationById).load(event.tenantId);
  }

  @FieldResolver(() => OrganisationType, { description: 'The organisation the actor acted for.' })
  actorOrganisation(@Root() event: AuditEvent, @Ctx() context: RequestContext) {
    return context.loaders.use(organisationById).load(event.actorOrganisationId);
  }

  @FieldResolver(() => PersonType, {
    nullable: true,
    description:
      "The actor's person record, for actors of the caller's own organisation; null for another organisation's users (see actorSubject) and where the actor is withheld or the platform itself.",
  })
  actorPerson(@Root() event: AuditEvent, @Ctx() context: RequestContext) {
    if (!event.actorPersonId || event.actorOrganisationId !== context.tenantId) return null;
    return context.loaders.use(personById).load(event.actorPersonId);
  }
}
