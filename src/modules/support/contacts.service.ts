import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit';
import { ukDateOf } from '../../platform/calendar';
import type { RequestContext } from '../../platform/context';
import { badUserInput, conflict, forbidden, notFound, type FieldProblem } from '../../platform/errors';
import { decodeGlobalId, idOf } from '../../platform/graphql/global-id';
import type { Milo } from '../milos';
import { visibleSignpostingServices } from '../signposting';
import { problemsWithCodes } from '../taxonomies';
import { supportFreeTextExpired } from './retention';
import { isAssignedMilo, isLeadOf, maySeeCaseNotes, maySeeRequest } from './support.policy';
import { SupportContact } from './support-contact.entity';
import { SupportRequest } from './support-request.entity';
import { SupportSignposting } from './support-signposting.entity';
import { contactsByRequestId, signpostingByContactId, supportContactById, supportRequestById } from './support.loaders';
import { visibleMilo } from './support-requests.service';
import type { CloseSupportRequestInput, LogSupportContactInput } from './support.types';

/*
 * Contacts on a request and its closing. Minimal by design (no clinical detail):
 * dates, minutes, codes from the organisation's own taxonomies and the services signposted;
 * the one free-text note is optional, read only by the assigned MILO and Leads, and removed
 * by retention.
 */

/** The request, locked so that logging, closing and reassigning it apply one after the other. */
async function lockedRequest(context: RequestContext, globalId: string): Promise<SupportRequest> {
  const id = idOf('SupportRequest', globalId, 'requestId');
  const request = await context.db
    .getRepository(SupportRequest)
    .findOne({ where: { tenantId: context.tenantId, id }, lock: { mode: 'pessimistic_write' } });
  if (!request) throw notFound('Support request');
  return request;
}

/** A single code checked against its taxonomy, reported against the field itself. */
async function problemsWithCode(context: RequestContext, taxonomy: 'CONTACT_OUTCOME' | 'CLOSURE_OUTCOME', code: string, field: string): Promise<FieldProblem[]> {
  return (await problemsWithCodes(context, taxonomy, [code], field)).map((problem) => ({ ...problem, field }));
}

/** Signposted services: global IDs of services the organisation may signpost to today (own, or shared with it). */
async function signpostedServices(context: RequestContext, globalIds: readonly string[], problems: FieldProblem[]) {
  const wanted: Array<{ index: number; id: string }> = [];
  globalIds.forEach((globalId, index) => {
    const decoded = decodeGlobalId(globalId);
    if (decoded?.typeName === 'SignpostingService') wanted.push({ index, id: decoded.id });
    else problems.push({ field: `signpostedServiceIds[${index}]`, message: 'Expected a SignpostingService ID' });
  });
  if (new Set(wanted.map(({ id }) => id)).size !== wanted.length) problems.push({ field: 'signpostedServiceIds', message: 'A service is given twice' });
  // Own services and partners' shared today (partner reads are audited in the partner's log).
  const visible = await visibleSignpostingServices(context, wanted.map(({ id }) => id));
  for (const { index, id } of wanted) {
    if (!visible.has(id)) problems.push({ field: `signpostedServiceIds[${index}]`, message: 'Not an active service of your organisation or shared with it' });
  }
  return [...visible.values()];
}

/** The assigned MILO logs a contact. Leads read contacts but do not log them on others' cases. */
export async function logSupportContact(
  context: RequestContext,
  input: LogSupportContactInput,
): Promise<{ contact: SupportContact; supportRequest: SupportRequest }> {
  const me = context.requirePersonId('Logging a contact');
  const request = await lockedRequest(context, input.requestId);
  if (!(await isAssignedMilo(context, request))) throw forbidden('Only the MILO the request is assigned to may log contacts on it');
  if (request.status !== 'ASSIGNED') throw conflict('The request is closed');

  const problems: FieldProblem[] = [];
  if (input.contactOn > context.today) problems.push({ field: 'contactOn', message: 'Must not be in the future' });
  else if (input.contactOn < ukDateOf(request.createdAt)) problems.push({ field: 'contactOn', message: 'Must not be before the request was made' });
  problems.push(...(await problemsWithCodes(context, 'SUPPORT_THEME', input.themeCodes, 'themeCodes')));
  problems.push(...(await problemsWithCode(context, 'CONTACT_OUTCOME', input.outcomeCode, 'outcomeCode')));
  const services = await signpostedServices(context, input.signpostedServiceIds, problems);
  if (problems.length) throw badUserInput('The contact is not valid', problems);

  const contact = context.db.getRepository(SupportContact).create({
    tenantId: context.tenantId,
    id: randomUUID(),
    supportRequestId: request.id,
    miloId: request.assignedMiloId as string,
    contactOn: input.contactOn,
    minutes: input.minutes,
    themeCodes: input.themeCodes,
    outcomeCode: input.outcomeCode,
    // Stored exactly as given (SQL or HTML in it is data); an empty note is no note.
    note: input.note?.trim() ? input.note : null,
    noteRemovedAt: null,
    createdBy: me,
  });
  await context.db.getRepository(SupportContact).insert(contact);
  if (services.length) {
    await context.db.getRepository(SupportSignposting).insert(
      services.map((service) => ({
        tenantId: context.tenantId,
        id: randomUUID(),
        supportContactId: contact.id,
        serviceOrganisationId: service.tenantId,
        serviceId: service.id,
        serviceName: service.name,
      })),
    );
  }
  await recordAudit(context, {
    action: 'SUPPORT_CONTACT_LOGGED',
    entityType: 'SupportRequest',
    entityId: request.id,
    details: {
      contactId: contact.id,
      contactOn: contact.contactOn,
      minutes: contact.minutes,
      themeCodes: contact.themeCodes,
      outcomeCode: contact.outcomeCode,
      signposted: services.map((service) => ({ serviceId: service.id, organisationId: service.tenantId })),
      withNote: contact.note !== null,
    },
  });
  context.loaders.use(contactsByRequestId).clear(request.id);
  return { contact: (await context.loaders.use(supportContactById).load(contact.id)) as SupportContact, supportRequest: request };
}

/**
 * Closes a request with an outcome: the assigned MILO, or a Lead of the scheme, who may also
 * close one still WAITING (the colleague withdrew, or found help elsewhere).
 */
export async function closeSupportRequest(context: RequestContext, input: CloseSupportRequestInput): Promise<SupportRequest> {
  const me = context.requirePersonId('Closing a request');
  const request = await lockedRequest(context, input.requestId);
  const lead = await isLeadOf(context, request.schemeId);
  const assigned = await isAssignedMilo(context, request);
  if (!lead && !assigned) throw forbidden("Only the assigned MILO and the scheme's active Lead MILOs may close a request");
  if (request.status === 'CLOSED') throw conflict('The request is already closed');
  const problems = await problemsWithCode(context, 'CLOSURE_OUTCOME', input.outcomeCode, 'outcomeCode');
  if (problems.length) throw badUserInput('The outcome is not valid', problems);
  await context.db.query(
    `update support_request set status = 'CLOSED', closed_at = $3, closed_by = $4, closure_outcome_code = $5, updated_at = now()
      where tenant_id = $1 and id = $2`,
    [context.tenantId, request.id, context.now, me, input.outcomeCode],
  );
  await recordAudit(context, {
    action: 'SUPPORT_REQUEST_CLOSED',
    entityType: 'SupportRequest',
    entityId: request.id,
    details: { from: request.status, outcomeCode: input.outcomeCode, assignedMiloId: request.assignedMiloId, byLead: !assigned },
  });
  context.loaders.use(supportRequestById).clear(request.id);
  return (await context.loaders.use(supportRequestById).load(request.id)) as SupportRequest;
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * A request's contacts: for the colleague themself, the assigned MILO and the scheme's Leads.
 * A manager who referred a colleague follows the request's status, not how they were
 * supported (themes, outcomes, services signposted).
 */
export async function contactsOf(context: RequestContext, request: SupportRequest): Promise<SupportContact[]> {
  const isColleague = context.viewer.personId !== null && context.viewer.personId === request.requesterPersonId;
  if (!isColleague && !(await maySeeCaseNotes(context, request))) return [];
  return context.loaders.use(contactsByRequestId).load(request.id);
}

async function requestOf(context: RequestContext, contact: SupportContact): Promise<SupportRequest> {
  return (await context.loaders.use(supportRequestById).load(contact.supportRequestId)) as SupportRequest;
}

/** node(id:) of a contact: authorised like its request. */
export async function findSupportContact(context: RequestContext, id: string): Promise<SupportContact | null> {
  const contact = await context.loaders.use(supportContactById).load(id);
  if (!contact) return null;
  const request = await requestOf(context, contact);
  if (!(await maySeeRequest(context, request))) {
    throw forbidden('Only the colleague, their referrer, the assigned MILO and the scheme’s active Lead MILOs may see a support request');
  }
  return (await contactsOf(context, request)).some((visible) => visible.id === contact.id) ? contact : null;
}

/** The note: for the assigned MILO and the scheme's Leads, until retention removes it. */
export async function noteOf(context: RequestContext, contact: SupportContact): Promise<string | null> {
  if (contact.note === null) return null;
  const request = await requestOf(context, contact);
  if (!(await maySeeCaseNotes(context, request))) return null;
  return (await supportFreeTextExpired(context, request)) ? null : contact.note;
}

/** Who logged it: to the Leads and the MILO themself (another MILO sees no one else's membership). */
export async function loggedByOf(context: RequestContext, contact: SupportContact): Promise<Milo | null> {
  if (!(await maySeeCaseNotes(context, await requestOf(context, contact)))) return null;
  return visibleMilo(context, contact.miloId);
}

export function signpostingOf(context: RequestContext, contact: SupportContact): Promise<SupportSignposting[]> {
  return context.loaders.use(signpostingByContactId).load(contact.id);
}
