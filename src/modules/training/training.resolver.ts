import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { ELIGIBILITY, bulkMutation } from '../../platform/graphql/cost';
import { OrganisationType, organisationById } from '../organisations';
import { type Person, PersonType, personById } from '../people';
import { type Scheme, SchemeRole, type SchemeRoleCode, SchemeType } from '../schemes';
import type { MetRequirement, UnmetRequirement } from './eligibility';
import type { TrainingModule } from './training-module.entity';
import type { TrainingRecord } from './training-record.entity';
import { TrainingRequirement } from './training-requirement.entity';
import { requirementById, trainingModuleById } from './training.loaders';
import { createTrainingModule, listTrainingModules, updateTrainingModule } from './training-catalogue.service';
import { eligibilityOfPerson } from './training-eligibility.service';
import { importTrainingRecords } from './training-import.service';
import { expiryOfRecord, recordTraining, trainingRecordsOf } from './training-records.service';
import { modulesOfRequirement, requirementsOf, setTrainingRequirements } from './training-requirements.service';
import { LocalDate } from '../../platform/graphql/scalars';
import {
  CreateTrainingModuleInput,
  CreateTrainingModulePayload,
  EligibilityType,
  ImportTrainingRecordsInput,
  ImportTrainingRecordsPayload,
  MetRequirementType,
  RecordTrainingInput,
  RecordTrainingPayload,
  SetTrainingRequirementsInput,
  SetTrainingRequirementsPayload,
  TrainingModuleType,
  TrainingRecordType,
  TrainingRequirementType,
  UnmetRequirementType,
  UpdateTrainingModuleInput,
  UpdateTrainingModulePayload,
} from './training.types';

/*
 * Thin resolvers: each translates GraphQL into one service call or one loader lookup.
 * Who may call what is in training.rules.ts; per-record checks are in the service.
 */

@Resolver(() => TrainingModuleType)
export class TrainingModuleResolver {
  @Query(() => [TrainingModuleType], { description: "The organisation's training catalogue, by code (any member)." })
  trainingModules(
    @Arg('includeInactive', () => Boolean, { nullable: true, defaultValue: false }) includeInactive: boolean | null,
    @Ctx() context: RequestContext,
  ) {
    return listTrainingModules(context, includeInactive ?? false);
  }

  @FieldResolver(() => OrganisationType, { nullable: true, description: 'The delivering organisation, when it is on the platform.' })
  provider(@Root() module: TrainingModule, @Ctx() context: RequestContext) {
    return module.providerOrganisationId ? context.loaders.use(organisationById).load(module.providerOrganisationId) : null;
  }

  @Mutation(() => CreateTrainingModulePayload, { description: 'Adds a module to the catalogue (scheme admins). Audited.' })
  async createTrainingModule(@Arg('input') input: CreateTrainingModuleInput, @Ctx() context: RequestContext): Promise<CreateTrainingModulePayload> {
    return { trainingModule: await createTrainingModule(context, input) };
  }

  @Mutation(() => UpdateTrainingModulePayload, {
    description: "Changes a module (scheme admins). Audited; a new validity applies to everyone's eligibility at once.",
  })
  async updateTrainingModule(@Arg('input') input: UpdateTrainingModuleInput, @Ctx() context: RequestContext): Promise<UpdateTrainingModulePayload> {
    return { trainingModule: await updateTrainingModule(context, input) };
  }
}

@Resolver(() => TrainingRequirementType)
export class TrainingRequirementResolver {
  @FieldResolver(() => [TrainingModuleType], { description: 'MODULE: the modules of which any one meets the requirement.' })
  modules(@Root() requirement: TrainingRequirement, @Ctx() context: RequestContext) {
    return modulesOfRequirement(context, requirement);
  }

  @Mutation(() => SetTrainingRequirementsPayload, {
    description: "Replaces a scheme role's training requirements as a whole (scheme admins). Audited; applies to everyone at once.",
  })
  setTrainingRequirements(@Arg('input') input: SetTrainingRequirementsInput, @Ctx() context: RequestContext) {
    return setTrainingRequirements(context, input);
  }
}

@Resolver(() => SchemeType)
export class SchemeTrainingResolver {
  @FieldResolver(() => [TrainingRequirementType], { description: 'What a scheme role needs before deployment and to stay deployed (any member).' })
  trainingRequirements(
    @Root() scheme: Scheme,
    @Arg('role', () => SchemeRole) role: SchemeRoleCode,
    @Ctx() context: RequestContext,
  ) {
    return requirementsOf(context, scheme.id, role);
  }
}

@Resolver(() => TrainingRecordType)
export class TrainingRecordResolver {
  @FieldResolver(() => PersonType)
  person(@Root() record: TrainingRecord, @Ctx() context: RequestContext) {
    return context.loaders.use(personById).load(record.personId);
  }

  @FieldResolver(() => TrainingModuleType)
  module(@Root() record: TrainingRecord, @Ctx() context: RequestContext) {
    return context.loaders.use(trainingModuleById).load(record.moduleId);
  }

  @FieldResolver(() => LocalDate, { nullable: true, description: "The day the completion expires by the module's validity; null = never." })
  expiresOn(@Root() record: TrainingRecord, @Ctx() context: RequestContext) {
    return expiryOfRecord(context, record);
  }

  @FieldResolver(() => PersonType, { nullable: true, description: 'The scheme admin who verified the evidence.' })
  verifiedBy(@Root() record: TrainingRecord, @Ctx() context: RequestContext) {
    return record.verifiedBy ? context.loaders.use(personById).load(record.verifiedBy) : null;
  }

  @Mutation(() => RecordTrainingPayload, { description: 'Records a completed module for a person (scheme admins).' })
  async recordTraining(@Arg('input') input: RecordTrainingInput, @Ctx() context: RequestContext): Promise<RecordTrainingPayload> {
    return { trainingRecord: await recordTraining(context, input) };
  }

  @Mutation(() => ImportTrainingRecordsPayload, {
    complexity: bulkMutation((args) => (args.input as ImportTrainingRecordsInput | undefined)?.records?.length ?? 0),
    description: 'Imports up to 1000 completions all together or not at all; a bad row fails the import with a problem per bad field of every bad row.',
  })
  async importTrainingRecords(@Arg('input') input: ImportTrainingRecordsInput, @Ctx() context: RequestContext): Promise<ImportTrainingRecordsPayload> {
    const trainingRecords = await importTrainingRecords(context, input);
    return { importedCount: trainingRecords.length, trainingRecords };
  }
}

@Resolver(() => PersonType)
export class PersonTrainingResolver {
  @FieldResolver(() => [TrainingRecordType], { description: "The person's completed training, oldest first (the person, scheme admins, active Lead MILOs)." })
  trainingRecords(@Root() person: Person, @Ctx() context: RequestContext) {
    return trainingRecordsOf(context, person.id);
  }

  @FieldResolver(() => EligibilityType, { complexity: ELIGIBILITY, description: 'Whether the person may act in a scheme role, as of a day (default today), and why not.' })
  eligibility(
    @Root() person: Person,
    @Arg('schemeId', () => ID) schemeId: string,
    @Arg('role', () => SchemeRole) role: SchemeRoleCode,
    @Arg('asOf', () => LocalDate, { nullable: true }) asOf: string | null | undefined,
    @Ctx() context: RequestContext,
  ) {
    return eligibilityOfPerson(context, person.id, { schemeId, role, asOf });
  }
}

@Resolver(() => UnmetRequirementType)
export class UnmetRequirementResolver {
  @FieldResolver(() => TrainingRequirementType)
  requirement(@Root() unmet: UnmetRequirement, @Ctx() context: RequestContext) {
    return context.loaders.use(requirementById).load(unmet.requirementId);
  }
}

@Resolver(() => MetRequirementType)
export class MetRequirementResolver {
  @FieldResolver(() => TrainingRequirementType)
  requirement(@Root() met: MetRequirement, @Ctx() context: RequestContext) {
    return context.loaders.use(requirementById).load(met.requirementId);
  }

  @FieldResolver(() => TrainingModuleType, { nullable: true, description: 'MODULE: the module whose completion counts (the one valid longest).' })
  satisfiedBy(@Root() met: MetRequirement, @Ctx() context: RequestContext) {
    return met.satisfiedByModuleId ? context.loaders.use(trainingModuleById).load(met.satisfiedByModuleId) : null;
  }
}

export const trainingResolvers = [
  TrainingModuleResolver,
  TrainingRequirementResolver,
  SchemeTrainingResolver,
  TrainingRecordResolver,
  PersonTrainingResolver,
  UnmetRequirementResolver,
  MetRequirementResolver,
];
