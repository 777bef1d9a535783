import { rowsByParent, tenantRowsById } from '../../platform/graphql/batch';
import { Scheme } from './scheme.entity';
import { SchemeRoleDefinition } from './scheme-role.entity';
import { TermsOfReference } from './terms-of-reference.entity';

export const schemeById = tenantRowsById(Scheme);

/** Schemes per organisation; row-level security limits this to the caller's own. */
export const schemesByOrganisationId = rowsByParent(Scheme, 'tenantId', { order: { name: 'ASC' }, acrossTenants: true });

/** The role rows of each scheme (at most one per role). */
export const schemeRolesBySchemeId = rowsByParent(SchemeRoleDefinition, 'schemeId');

/** Every terms-of-reference version of each scheme, newest first. */
export const termsOfReferenceBySchemeId = rowsByParent(TermsOfReference, 'schemeId', { order: { version: 'DESC' } });

export const termsOfReferenceById = tenantRowsById(TermsOfReference);
