import { ArrayMaxSize, Max, MaxLength, Min } from 'class-validator';
import { Field, Int } from 'type-graphql';

/*
 * Fields that a logged support contact and an advice answer share: the same limits in one
 * place, so the two forms cannot drift apart.
 */

/** Longest taxonomy code a form accepts (the codes' own pattern allows 50). */
export const MAX_CODE = 50;

/** Time a MILO spent: 1–1440 minutes (one day). */
export function MinutesSpent(): PropertyDecorator {
  return (target, property) => {
    Field(() => Int, { description: 'Time spent, 1–1440 minutes.' })(target, property);
    Min(1)(target, property);
    Max(1440)(target, property);
  };
}

/** SUPPORT_THEME codes, at most 10; whether each is an active term is checked by the service. */
export function SupportThemeCodes(): PropertyDecorator {
  return (target, property) => {
    Field(() => [String], { defaultValue: [], description: 'SUPPORT_THEME codes (at most 10, each an active term).' })(target, property);
    ArrayMaxSize(10)(target, property);
    MaxLength(MAX_CODE, { each: true })(target, property);
  };
}
