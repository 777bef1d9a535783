import { unauthenticated } from '../errors';
import type { Viewer } from '../context';
import type { TenantTransaction } from '../database/tenant-transaction';
import type { VerifiedToken } from './authenticate';
import { audienceFor, effectiveRoles } from './roles';

/**
 * Completes a verified token with the platform's own records: the person whose subject it is
 * and their active role assignments, weighed by the roles rule (effectiveRoles). Runs inside
 * the request's tenant transaction; the database needs nothing of the result, since its
 * policies decide by organisation alone (docs/architecture.md, "Authorization").
 */
export async function resolveViewer(transaction: TenantTransaction, token: VerifiedToken): Promise<Viewer> {
  const rows: Array<{ id: string; status: string; roles: string[] }> = await transaction.manager.query(
    `select p.id, p.status,
            coalesce(array_agg(ra.role) filter (where ra.role is not null), '{}') as roles
       from person p
       left join role_assignment ra
         on ra.tenant_id = p.tenant_id and ra.person_id = p.id and ra.status = 'ACTIVE'
      where p.tenant_id = $1 and p.subject = $2
      group by p.id, p.status`,
    [token.organisation.id, token.subject],
  );
  const person = rows[0];
  if (person && person.status !== 'ACTIVE') {
    throw unauthenticated('This person is no longer active in the organisation');
  }
  const roles = effectiveRoles({
    person: person ? { status: person.status, recordedRoles: person.roles } : null,
    // A token without a roles claim leaves the records alone; with one, it is the ceiling.
    tokenRoles: token.rolesClaimed === false ? null : token.roles,
    organisationKind: token.organisation.kind,
  });

  return {
    organisation: token.organisation,
    subject: token.subject,
    personId: person?.id ?? null,
    roles,
    audience: audienceFor(roles),
  };
}
