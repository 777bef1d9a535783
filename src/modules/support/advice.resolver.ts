import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { ConnectionArgs } from '../../platform/graphql/relay';
import { MiloType } from '../milos';
import { PersonType } from '../people';
import { SchemeType, schemeById } from '../schemes';
import { AdviceRequestStatus, type AdviceRequest } from './advice-request.entity';
import {
  adviceQueue,
  adviceRequestByGlobalId,
  answerAdviceRequest,
  answerOf,
  answeredByOf,
  answeredByPersonOf,
  askForAdvice,
  descriptionOf,
  myAdviceRequests,
  requestedByOf,
} from './advice.service';
import { AnswerAdviceRequestInput, AnswerAdviceRequestPayload, AskForAdviceInput, AskForAdvicePayload } from './advice.types';
import { AdviceRequestConnection, AdviceRequestType } from './support.types';

@Resolver(() => AdviceRequestType)
export class AdviceRequestsResolver {
  @Query(() => AdviceRequestType, {
    nullable: true,
    description: "An advice request: for the officer who asked and the scheme's active MILOs and Lead MILOs (FORBIDDEN for others); null when not in your organisation.",
  })
  adviceRequest(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext) {
    return adviceRequestByGlobalId(context, id);
  }

  @Query(() => AdviceRequestConnection, { description: 'Your own advice requests, newest first, with their answers.' })
  myAdviceRequests(@Args() args: ConnectionArgs, @Ctx() context: RequestContext) {
    return myAdviceRequests(context, args);
  }

  @Query(() => AdviceRequestConnection, {
    description:
      "A scheme's advice requests for its active MILOs and Lead MILOs: WAITING (the default) most urgent first, then oldest; ANSWERED most recently answered first.",
  })
  adviceQueue(
    @Arg('schemeId', () => ID) schemeId: string,
    @Arg('status', () => AdviceRequestStatus, { defaultValue: AdviceRequestStatus.WAITING }) status: AdviceRequestStatus,
    @Args() args: ConnectionArgs,
    @Ctx() context: RequestContext,
  ) {
    return adviceQueue(context, schemeId, status, args);
  }

  @Mutation(() => AskForAdvicePayload, { description: 'Asks the scheme for advice about a member of the public (any member with a person record).' })
  async askForAdvice(@Arg('input') input: AskForAdviceInput, @Ctx() context: RequestContext): Promise<AskForAdvicePayload> {
    return { adviceRequest: await askForAdvice(context, input) };
  }

  @Mutation(() => AnswerAdviceRequestPayload, {
    description: "Answers a WAITING advice request (the scheme's active MILOs and Lead MILOs); a second answer is a CONFLICT. Audited.",
  })
  async answerAdviceRequest(@Arg('input') input: AnswerAdviceRequestInput, @Ctx() context: RequestContext): Promise<AnswerAdviceRequestPayload> {
    return { adviceRequest: await answerAdviceRequest(context, input) };
  }

  @FieldResolver(() => SchemeType)
  scheme(@Root() advice: AdviceRequest, @Ctx() context: RequestContext) {
    return context.loaders.use(schemeById).load(advice.schemeId);
  }

  @FieldResolver(() => PersonType, { description: 'The officer who asked.' })
  requestedBy(@Root() advice: AdviceRequest, @Ctx() context: RequestContext) {
    return requestedByOf(context, advice);
  }

  @FieldResolver(() => String, { nullable: true, description: "What happened; null once the scheme's retention period has run after the answer." })
  description(@Root() advice: AdviceRequest, @Ctx() context: RequestContext) {
    return descriptionOf(context, advice);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The advice given: for the officer who asked, the MILO who answered and the scheme's Lead MILOs; null for others and once retention has removed it.",
  })
  answer(@Root() advice: AdviceRequest, @Ctx() context: RequestContext) {
    return answerOf(context, advice);
  }

  @FieldResolver(() => MiloType, { nullable: true, description: "The answering membership (to the scheme's Lead MILOs and that MILO)." })
  answeredBy(@Root() advice: AdviceRequest, @Ctx() context: RequestContext) {
    return answeredByOf(context, advice);
  }

  @FieldResolver(() => PersonType, { nullable: true, description: 'The MILO who answered, as a person: whom the officer can call back.' })
  answeredByPerson(@Root() advice: AdviceRequest, @Ctx() context: RequestContext) {
    return answeredByPersonOf(context, advice);
  }
}
