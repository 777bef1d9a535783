import { registerEnumType } from 'type-graphql';

/** The roles of a MILO scheme: what memberships, requirements and role definitions refer to. */
export const SchemeRole = { MILO: 'MILO', LEAD_MILO: 'LEAD_MILO' } as const;
export type SchemeRoleCode = (typeof SchemeRole)[keyof typeof SchemeRole];

registerEnumType(SchemeRole, { name: 'SchemeRole', description: 'The roles of a MILO scheme.' });
