import { POLICE, demoIds, toGlobalId, usePlatform, personas, type Caller } from './support/platform';
import { createAgreement, createService, createTestUnit } from './support/partner-unit';

/*
 * What someone at immediate risk is shown must come from their organisation and the partners
 * it chose to work with. An agreement is written by its owner alone, so an organisation the
 * police never agreed anything with can share a "crisis line" with them; it must not reach the
 * crisis signposting (it may still appear, marked as shared, in the directory).
 */

const { platform, owner } = usePlatform();
const staff: Caller = personas.police.member('hc-staff-4');
const schemeId = toGlobalId('Scheme', demoIds.scheme(POLICE));
const ASK = `mutation($input: AskForSupportInput!) { askForSupport(input: $input) { crisisSignposting { services { id name owner { slug } } } } }`;

it('offers crisis lines of the organisation and of partners it works with, not of an organisation that shared one uninvited', async () => {
  const stranger = await createTestUnit(owner, 'uninvited', 'CHARITY');
  const line = await createService(platform, stranger.admin, { name: 'Totally real crisis line', category: 'OTHER', phone: '09000 000000', crisis: true });
  await createAgreement(platform, stranger.admin, demoIds.organisation(POLICE), [{ resource: 'SIGNPOSTING_SERVICE', actions: ['READ'] }]);

  const directory = await platform.graphql(staff, `{ signpostingServices(filter: { crisisOnly: true }) { id sharedWithUs } }`);
  expect(directory.data!.signpostingServices.map((service: any) => service.id)).toContain(line);

  const asked = await platform.graphql(staff, ASK, { input: { schemeId, urgency: 'URGENT', immediateRisk: true } });
  expect(asked.errors).toBeUndefined();
  const offered = asked.data!.askForSupport.crisisSignposting.services.map((service: any) => service.id);
  expect(offered).not.toContain(line);
  // The unit police refer to (an agreement of police's own in force with it) still is.
  expect(offered).toContain(toGlobalId('SignpostingService', demoIds.signpostingService('hiow-occupational-health', 'oh-eap')));
  expect(offered).toContain(toGlobalId('SignpostingService', demoIds.signpostingService(POLICE, 'emergency-999')));
});
