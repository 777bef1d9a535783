import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Audience, OrganisationRole } from '../../platform/auth/roles';

registerEnumType(Audience, { name: 'Audience', description: 'Which projection of the schema the caller is served.' });

@ObjectType('Viewer', { description: 'Who the caller is, as the platform sees them.' })
export class ViewerType {
  @Field({ description: "The identity provider's subject (`sub`) of the caller's token." })
  subject: string;

  @Field(() => [OrganisationRole], { description: "Effective roles: those the platform records for the caller's person, narrowed to the token's roles claim when it has one. None when the organisation has no person for the subject." })
  roles: OrganisationRole[];

  @Field(() => Audience)
  audience: Audience;
}
