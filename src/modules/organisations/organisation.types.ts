import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, Node } from '../../platform/graphql/relay';
import { OrganisationKind, OrganisationStatus } from './organisation.entity';

registerEnumType(OrganisationKind, { name: 'OrganisationKind', description: 'What kind of body an organisation is.' });
registerEnumType(OrganisationStatus, { name: 'OrganisationStatus' });

@ObjectType('Organisation', {
  implements: Node,
  description: 'A tenant of the platform: a police force, fire and rescue service, NHS trust, occupational-health unit or other partner.',
})
export class OrganisationType extends Node {
  @Field({ description: 'Stable short name, used in tokens (claim "org") and URLs.' })
  slug: string;

  @Field()
  name: string;

  @Field(() => OrganisationKind)
  kind: OrganisationKind;

  @Field(() => String, { nullable: true })
  region: string | null;

  @Field(() => OrganisationStatus)
  status: OrganisationStatus;

  @Field(() => Int, { description: 'Bumped when configuration that shapes this organisation\'s schema changes.' })
  configurationVersion: number;
}

@ObjectType()
export class OrganisationConnection extends Connection('Organisation', OrganisationType) {}
