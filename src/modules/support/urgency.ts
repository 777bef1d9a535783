import { registerEnumType } from 'type-graphql';

/** How soon someone asks to be contacted. Immediate risk is a separate flag, not an urgency. */
export const Urgency = { ROUTINE: 'ROUTINE', SOON: 'SOON', URGENT: 'URGENT' } as const;
export type Urgency = (typeof Urgency)[keyof typeof Urgency];

registerEnumType(Urgency, {
  name: 'Urgency',
  description: 'How soon contact is wanted.',
  valuesConfig: {
    ROUTINE: { description: 'Within the scheme’s usual target.' },
    SOON: { description: 'Within a few days.' },
    URGENT: { description: 'Today if at all possible.' },
  },
});

/** Queue order: most urgent first. */
export const URGENCY_RANK: Record<Urgency, number> = { URGENT: 0, SOON: 1, ROUTINE: 2 };
