import { registerEnumType } from 'type-graphql';

/** The code lists each organisation configures for itself. */
export const TaxonomyKind = {
  /** What a support contact or feedback was about (stress, bereavement, trauma exposure, …). */
  SUPPORT_THEME: 'SUPPORT_THEME',
  /** How one contact ended (support given, signposted, follow-up booked, …). */
  CONTACT_OUTCOME: 'CONTACT_OUTCOME',
  /** How a request was closed (resolved, referred on, declined, …). */
  CLOSURE_OUTCOME: 'CLOSURE_OUTCOME',
  /** Training MILOs say they need, from their feedback on a case. */
  TRAINING_NEED: 'TRAINING_NEED',
} as const;
export type TaxonomyKind = (typeof TaxonomyKind)[keyof typeof TaxonomyKind];

registerEnumType(TaxonomyKind, { name: 'TaxonomyKind', description: "The code lists an organisation's scheme admins configure." });
