import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { decodeGlobalId } from '../../platform/graphql/global-id';
import { type Organisation, OrganisationType } from '../organisations';
import { PersonType, personById } from '../people';
import { LocalDate } from '../../platform/graphql/scalars';
import type { Scheme } from './scheme.entity';
import {
  CreateSchemeInput,
  CreateSchemePayload,
  PublishTermsOfReferenceInput,
  PublishTermsOfReferencePayload,
  SchemeRoleDefinitionType,
  SchemeType,
  TermsOfReferenceType,
  UpdateSchemeInput,
  UpdateSchemePayload,
  UpdateSchemeRoleInput,
  UpdateSchemeRolePayload,
} from './scheme.types';
import {
  createScheme,
  findScheme,
  publishTermsOfReference,
  rolesOf,
  schemesOf,
  termsOfReferenceOf,
  termsOfReferenceVersionsOf,
  updateScheme,
  updateSchemeRole,
} from './schemes.service';
import type { TermsOfReference } from './terms-of-reference.entity';

@Resolver(() => OrganisationType)
export class OrganisationSchemesResolver {
  @FieldResolver(() => [SchemeType], { description: "The organisation's schemes (empty for other organisations)." })
  schemes(@Root() organisation: Organisation, @Ctx() context: RequestContext) {
    return schemesOf(context, organisation.id);
  }
}

@Resolver(() => SchemeType)
export class SchemesResolver {
  @Query(() => SchemeType, { nullable: true, description: "One of the caller's organisation's schemes; null for another organisation's." })
  scheme(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext) {
    const decoded = decodeGlobalId(id);
    return decoded?.typeName === 'Scheme' ? findScheme(context, decoded.id) : null;
  }

  @FieldResolver(() => [SchemeRoleDefinitionType], { description: 'The MILO and Lead MILO roles as this scheme names and describes them.' })
  roles(@Root() scheme: Scheme, @Ctx() context: RequestContext) {
    return rolesOf(context, scheme);
  }

  @FieldResolver(() => TermsOfReferenceType, {
    nullable: true,
    description: 'The terms of reference in force on `asOf` (default: today in the UK): the highest version effective by then.',
  })
  termsOfReference(
    @Root() scheme: Scheme,
    @Arg('asOf', () => LocalDate, { nullable: true }) asOf: string | undefined,
    @Ctx() context: RequestContext,
  ) {
    return termsOfReferenceOf(context, scheme, asOf);
  }

  @FieldResolver(() => [TermsOfReferenceType], { description: 'Every version, newest first; older versions stay readable.' })
  termsOfReferenceVersions(@Root() scheme: Scheme, @Ctx() context: RequestContext) {
    return termsOfReferenceVersionsOf(context, scheme);
  }

  @Mutation(() => CreateSchemePayload, { description: 'Creates a DRAFT scheme with its MILO and Lead MILO roles (scheme admins).' })
  async createScheme(@Arg('input') input: CreateSchemeInput, @Ctx() context: RequestContext): Promise<CreateSchemePayload> {
    return { scheme: await createScheme(context, input) };
  }

  @Mutation(() => UpdateSchemePayload, { description: "Changes a scheme's name, purpose, role boundaries or status (scheme admins)." })
  async updateScheme(@Arg('input') input: UpdateSchemeInput, @Ctx() context: RequestContext): Promise<UpdateSchemePayload> {
    return { scheme: await updateScheme(context, input) };
  }

  @Mutation(() => UpdateSchemeRolePayload, { description: "Sets a scheme role's title and description (scheme admins)." })
  updateSchemeRole(@Arg('input') input: UpdateSchemeRoleInput, @Ctx() context: RequestContext) {
    return updateSchemeRole(context, input);
  }

  @Mutation(() => PublishTermsOfReferencePayload, {
    description: 'Publishes the next version of the terms of reference (scheme admins). Earlier versions are kept. CONFLICT when another version was published at the same moment.',
  })
  publishTermsOfReference(@Arg('input') input: PublishTermsOfReferenceInput, @Ctx() context: RequestContext) {
    return publishTermsOfReference(context, input);
  }
}

@Resolver(() => TermsOfReferenceType)
export class TermsOfReferenceResolver {
  @FieldResolver(() => SchemeType)
  scheme(@Root() termsOfReference: TermsOfReference, @Ctx() context: RequestContext) {
    return findScheme(context, termsOfReference.schemeId);
  }

  @FieldResolver(() => PersonType, { nullable: true, description: 'Who published this version (scheme admins); null when not recorded.' })
  createdBy(@Root() termsOfReference: TermsOfReference, @Ctx() context: RequestContext) {
    return termsOfReference.createdBy ? context.loaders.use(personById).load(termsOfReference.createdBy) : null;
  }
}
