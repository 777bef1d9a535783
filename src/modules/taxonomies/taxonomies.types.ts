import { IsIn, IsOptional, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/relay';
import { notBlank } from '../../platform/graphql/validation';
import { TaxonomyKind } from './taxonomy-kind';

/** A term's optional description: the same limit when it is defined and when it is changed. */
function TermDescription(): PropertyDecorator {
  return (target, property) => {
    Field(() => String, { nullable: true })(target, property);
    IsOptional()(target, property);
    MaxLength(1000)(target, property);
  };
}

/** A term's optional place in its list: the same limits when it is defined and when it is changed. */
function TermPosition(): PropertyDecorator {
  return (target, property) => {
    Field(() => Int, { nullable: true })(target, property);
    IsOptional()(target, property);
    Min(0)(target, property);
    Max(10000)(target, property);
  };
}

@ObjectType('TaxonomyTerm', { implements: Node, description: "One value of an organisation's own code list." })
export class TaxonomyTermType extends Node {
  @Field(() => TaxonomyKind)
  taxonomy: TaxonomyKind;

  @Field({ description: 'What records store and inputs send, e.g. "WORK_STRESS".' })
  code: string;

  @Field({ description: 'What people read, e.g. "Stress at work".' })
  label: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => Int)
  position: number;

  @Field({ description: 'Retired terms stay on past records but cannot be chosen.' })
  active: boolean;
}

@InputType()
export class DefineTaxonomyTermInput {
  @Field(() => TaxonomyKind)
  @IsIn(Object.values(TaxonomyKind))
  taxonomy: TaxonomyKind;

  @Field({ description: 'Upper case letters, digits and _, starting with a letter; at most 50.' })
  @Matches(/^[A-Z][A-Z0-9_]{0,49}$/, { message: 'code must be upper case letters, digits and _, starting with a letter' })
  code: string;

  @Field()
  @Length(1, 200)
  @notBlank('label')
  label: string;

  @TermDescription()
  description?: string | null;

  @TermPosition()
  position?: number | null;
}

@InputType({ description: 'Changes to a term; the code never changes, so past records keep their meaning.' })
export class UpdateTaxonomyTermInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @notBlank('label')
  label?: string | null;

  @TermDescription()
  description?: string | null;

  @TermPosition()
  position?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'False retires the term.' })
  @IsOptional()
  active?: boolean | null;
}

@ObjectType()
export class DefineTaxonomyTermPayload {
  @Field(() => TaxonomyTermType)
  term: TaxonomyTermType;
}

@ObjectType()
export class UpdateTaxonomyTermPayload {
  @Field(() => TaxonomyTermType)
  term: TaxonomyTermType;
}
