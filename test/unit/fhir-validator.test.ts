import type { Bundle, CarePlan, Consent, Provenance, Resource } from '@medplum/fhirtypes';
import { expandValueSet, r4Errors, validateR4 } from '../support/fhir-r4-validator';

/*
 * The R4 check the export's tests rely on must itself fail on what it claims to catch;
 * otherwise "the export passes validation" would prove nothing.
 */

const carePlan: CarePlan = { resourceType: 'CarePlan', id: 'a0000000-0000-4000-8000-000000000001', status: 'active', intent: 'plan', subject: { display: 'Subject of CP-1' } };
const consent: Consent = {
  resourceType: 'Consent',
  status: 'active',
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
  category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
  policyRule: { text: 'DPA 2018' },
  dateTime: '2026-03-02',
};
const provenance: Provenance = {
  resourceType: 'Provenance',
  target: [{ reference: 'urn:uuid:a0000000-0000-4000-8000-000000000001' }],
  recorded: '2026-03-03T12:00:00.000Z',
  agent: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] }, who: { display: 'Dr Haddad' } }],
};
const bundleOf = (...resources: Resource[]): Bundle => ({
  resourceType: 'Bundle',
  type: 'collection',
  entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
});

const broken = (resource: Resource, change: Record<string, unknown>) => ({ ...resource, ...change }) as Resource;

describe('the R4 check', () => {
  it('accepts well-formed resources', () => {
    expect(r4Errors(carePlan)).toEqual([]);
    expect(r4Errors(consent)).toEqual([]);
    expect(r4Errors(provenance)).toEqual([]);
    expect(r4Errors(bundleOf(carePlan, { ...provenance, id: 'a0000000-0000-4000-8000-000000000002' }))).toEqual([]);
  });

  it.each([
    ['a missing required element (CarePlan.status)', broken(carePlan, { status: undefined }), /Missing required property.*CarePlan\.status|CarePlan\.status.*Missing required/],
    ['a code outside a required value set (request-status)', broken(carePlan, { status: 'on-review' }), /request-status/],
    ['a code outside a required value set (care-plan-intent)', broken(carePlan, { intent: 'directive' }), /care-plan-intent/],
    ['an element R4 does not define', broken(carePlan, { reviewDueOn: '2026-07-01' }), /reviewDueOn/],
    ['a single element given as a list', broken(carePlan, { subject: [{ display: 'x' }] }), /subject/],
    ['Consent without policy or policyRule (ppc-1)', broken(consent, { policyRule: undefined }), /ppc-1/],
    ['a code not in the consentscope code system', broken(consent, { scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'privacy' }] } }), /consentscope/],
    ['a LOINC code outside the consent-category value set', broken(consent, { category: [{ coding: [{ system: 'http://loinc.org', code: '11488-4' }] }] }), /consent-category/],
    ['a Consent state outside consent-state-codes', broken(consent, { status: 'given' }), /consent-state-codes/],
    ['a date where R4 wants an instant (Provenance.recorded)', broken(provenance, { recorded: '2026-03-03' }), /instant/i],
    ['an agent type not in provenance-participant-type', broken(provenance, { agent: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'writer' }] }, who: { display: 'x' } }] }), /writer/],
    ['a Provenance without a target', broken(provenance, { target: undefined }), /target/],
  ])('rejects %s', (_what, resource, message) => {
    const errors = r4Errors(resource);
    expect(errors.join('\n')).toMatch(message);
  });

  it('checks narratives as R4 txt-1 and txt-2 say: basic XHTML only, with text', () => {
    const narrated = (div: string) => ({ ...consent, text: { status: 'additional' as const, div } });
    expect(r4Errors(narrated('<div xmlns="http://www.w3.org/1999/xhtml"><p>Sharing &amp; &lt;more&gt; &#39;x&#39;</p></div>'))).toEqual([]);
    expect(r4Errors(narrated('<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></div>')).join('\n')).toMatch(/<script> is not allowed/);
    expect(r4Errors(narrated('<div xmlns="http://www.w3.org/1999/xhtml"><p onclick="x()">a</p></div>')).join('\n')).toMatch(/active content/);
    expect(r4Errors(narrated('<div xmlns="http://www.w3.org/1999/xhtml"><p> </p></div>')).join('\n')).toMatch(/txt-2/);
    expect(r4Errors(narrated('<p>no div</p>')).join('\n')).toMatch(/not an XHTML div/);
    expect(r4Errors(narrated('<div xmlns="http://www.w3.org/1999/xhtml">a &nbsp; b</div>')).join('\n')).toMatch(/entity/);
  });

  it('rejects an empty note text (R4 Annotation.text is required and ele-1 forbids empty elements)', () => {
    expect(r4Errors({ ...carePlan, note: [{ text: '' }] }).length).toBeGreaterThan(0);
  });

  it('checks the resources inside a Bundle, and that the Bundle stands alone', () => {
    expect(r4Errors(bundleOf(broken(carePlan, { status: 'on-review' }))).join('\n')).toMatch(/request-status/);
    const dangling = bundleOf({ ...provenance, id: 'a0000000-0000-4000-8000-000000000002' });
    expect(r4Errors(dangling).join('\n')).toMatch(/does not resolve inside the Bundle/);
    const twice = bundleOf(carePlan, carePlan);
    expect(r4Errors(twice).join('\n')).toMatch(/Duplicate fullUrl/);
    const mismatched: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:a0000000-0000-4000-8000-00000000000f', resource: carePlan }] };
    expect(r4Errors(mismatched).join('\n')).toMatch(/disagrees with fullUrl/);
    expect(r4Errors(broken(bundleOf(carePlan), { type: 'bag' })).join('\n')).toMatch(/bundle-type/);
    // A reference to a resource of a type the element does not allow, or not of its stated type.
    const planId = 'a0000000-0000-4000-8000-000000000003';
    const wrongTarget = bundleOf({ ...carePlan, id: planId, subject: { reference: `urn:uuid:${carePlan.id}` } }, carePlan);
    expect(r4Errors(wrongTarget).join('\n')).toMatch(/is a CarePlan; .*subject allows Patient, Group/);
    const wrongType = bundleOf(carePlan, { ...provenance, id: 'a0000000-0000-4000-8000-000000000002', target: [{ reference: `urn:uuid:${carePlan.id}`, type: 'Patient' }] });
    expect(r4Errors(wrongType).join('\n')).toMatch(/Reference.type Patient but .* is a CarePlan/);
  });

  it('expands the R4 value sets the export binds to from the R4 definitions, completely', () => {
    expect([...expandValueSet('http://hl7.org/fhir/ValueSet/request-status|4.0.1').codes].map((code) => code.split('|')[1]).sort()).toEqual(
      ['active', 'completed', 'draft', 'entered-in-error', 'on-hold', 'revoked', 'unknown'],
    );
    for (const url of [
      'http://hl7.org/fhir/ValueSet/consent-state-codes',
      'http://hl7.org/fhir/ValueSet/consent-scope',
      'http://hl7.org/fhir/ValueSet/provenance-agent-type',
      'http://hl7.org/fhir/ValueSet/care-team-status',
      'http://hl7.org/fhir/ValueSet/care-plan-activity-status',
      'http://hl7.org/fhir/ValueSet/bundle-type',
      // LOINC codes listed, the consent category code system, and v3-ActCode under _ActConsentType (is-a).
      'http://hl7.org/fhir/ValueSet/consent-category',
    ]) {
      expect({ url, complete: expandValueSet(url).complete }).toEqual({ url, complete: true });
    }
    const consentCategory = expandValueSet('http://hl7.org/fhir/ValueSet/consent-category').codes;
    expect(consentCategory.has('http://loinc.org|59284-0')).toBe(true);
    expect(consentCategory.has('http://terminology.hl7.org/CodeSystem/v3-ActCode|ICOL')).toBe(true);
    expect(consentCategory.has('http://terminology.hl7.org/CodeSystem/v3-ActCode|_ActConsentType')).toBe(true);
  });

  it('has nothing to say about a closed, well-typed Bundle: no errors and no warnings', () => {
    const planId = 'a0000000-0000-4000-8000-000000000001';
    const withProvenance = bundleOf(carePlan, { ...provenance, id: 'a0000000-0000-4000-8000-000000000002', target: [{ reference: `urn:uuid:${planId}`, type: 'CarePlan' }] });
    expect(validateR4(withProvenance)).toEqual([]);
  });
});
