import type { RequestContext } from '../../platform/context';
import { PLATFORM_ORGANISATION_KIND } from '../../platform/auth/roles';
import { recordAudit } from '../../platform/audit';
import { conflict, forbidden, notFound } from '../../platform/errors';
import { idOf, toGlobalId } from '../../platform/graphql/global-id';
import { findOrganisation, type Organisation } from '../organisations';
import { PeopleAuditAction } from './audit-actions';
import { Person } from './person.entity';
import { personById } from './people.loaders';
import { requireSubjectFree, requireValidSubject } from './people.service';
import type { LinkPersonIdentityInput, RelinkPersonIdentityInput } from './person.types';

/*
 * Identity binding (docs/security.md). A person's subject is what turns a token into that person,
 * with their memberships, care plans and roles. So it is set once, when the person is linked
 * to their identity (at createPerson or by linkPersonIdentity while they have none), and a
 * scheme admin never changes it: an admin who could would give a Lead MILO's record their own
 * subject and read every case as that Lead. When an identity provider reissues a subject, a
 * platform operator relinks it, audited in both organisations' logs. The database refuses any
 * other change of a linked subject (person_subject_guard).
 */

/** Links a person who has no identity yet; a linked person keeps theirs (CONFLICT). */
export async function linkPersonIdentity(context: RequestContext, input: LinkPersonIdentityInput): Promise<Person> {
  context.requirePersonId('Linking identities');
  requireValidSubject(input.subject);
  const id = idOf('Person', input.personId, 'personId');
  const repository = context.db.getRepository(Person);
  const person = await repository.findOneBy({ tenantId: context.tenantId, id });
  if (!person) throw notFound('Person');
  if (person.subject !== null) {
    throw conflict('This person is already linked to an identity; only a platform operator can relink it');
  }
  await requireSubjectFree(context, input.subject);
  const result = await repository
    .createQueryBuilder()
    .update(Person)
    .set({ subject: input.subject })
    .where('tenant_id = :tenantId and id = :id and subject is null', { tenantId: context.tenantId, id })
    .execute();
  if (!result.affected) throw conflict('This person was linked to an identity meanwhile');
  const after = (await repository.findOneBy({ tenantId: context.tenantId, id })) as Person;
  context.loaders.use(personById).clear(id).prime(id, after);
  await recordAudit(context, {
    action: PeopleAuditAction.PERSON_IDENTITY_LINKED,
    entityType: 'Person',
    entityId: id,
    details: { before: { subject: null }, after: { subject: after.subject } },
  });
  return after;
}

/**
 * A platform operator moves a person's link to another subject, in the person's organisation,
 * within the operator's own request transaction (TenantTransaction.actingFor): the change and
 * the events in both logs commit together or not at all.
 */
export async function relinkPersonIdentity(
  context: RequestContext,
  input: RelinkPersonIdentityInput,
): Promise<{ personId: string; organisation: Organisation; subject: string }> {
  if (context.viewer.organisation.kind !== PLATFORM_ORGANISATION_KIND || !context.hasRole('PLATFORM_OPERATOR')) {
    throw forbidden('Relinking identities is for platform operators');
  }
  context.requirePersonId('Relinking identities');
  requireValidSubject(input.subject);
  const organisationId = idOf('Organisation', input.organisationId, 'organisationId');
  const personId = idOf('Person', input.personId, 'personId');
  const reason = input.reason.trim();
  const organisation = await findOrganisation(context, organisationId);
  if (!organisation) throw notFound('Organisation');

  // Inside actingFor the request's loaders are not used: they are keyed by id for the
  // caller's own organisation, and must not keep another organisation's rows.
  const previous = await context.transaction.actingFor(organisationId, async (manager) => {
    const repository = manager.getRepository(Person);
    const person = await repository.findOneBy({ tenantId: organisationId, id: personId });
    if (!person) throw notFound('Person');
    const holder = await repository.findOneBy({ tenantId: organisationId, subject: input.subject });
    if (holder) throw conflict(`That subject is already linked to ${holder.id === person.id ? 'this' : 'another'} person in ${organisation.name}`);
    await manager.query(`select set_config('app.identity_relink', 'on', true)`);
    await repository.update({ tenantId: organisationId, id: personId }, { subject: input.subject });
    await manager.query(`select set_config('app.identity_relink', '', true)`);
    await recordAudit(
      context,
      {
        action: PeopleAuditAction.PERSON_IDENTITY_RELINKED,
        entityType: 'Person',
        entityId: personId,
        purpose: reason,
        details: { before: { subject: person.subject }, after: { subject: input.subject } },
      },
      organisationId,
    );
    return person.subject;
  });
  // The operator's own log: what its operators did to other organisations' people.
  await recordAudit(context, {
    action: PeopleAuditAction.PERSON_IDENTITY_RELINKED,
    entityType: 'Person',
    entityId: personId,
    purpose: reason,
    details: { organisationId, before: { subject: previous }, after: { subject: input.subject } },
  });
  return { personId: toGlobalId('Person', personId), organisation, subject: input.subject };
}
