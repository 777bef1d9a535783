import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../platform/graphql/relay';
import { SchemeStatus } from './scheme.entity';

registerEnumType(SchemeStatus, { name: 'SchemeStatus' });

@ObjectType('Scheme', { implements: Node, description: "An organisation's MILO scheme." })
export class SchemeType extends Node {
  @Field({ description: 'What the organisation calls its scheme.' })
  name: string;

  @Field()
  purpose: string;

  @Field(() => String, { nullable: true, description: 'What MILOs do and do not do under this scheme.' })
  roleBoundaries: string | null;

  @Field(() => SchemeStatus)
  status: SchemeStatus;
}
