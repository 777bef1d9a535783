import { badUserInput } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque Relay ID: base64url of "Type:uuid". Clients must not build or parse them. */
export function toGlobalId(typeName: string, id: string): string {
  return Buffer.from(`${typeName}:${id}`, 'utf8').toString('base64url');
}

export interface DecodedGlobalId {
  typeName: string;
  id: string;
}

/** Decodes a global ID; undefined when it is not one of ours. */
export function decodeGlobalId(globalId: string): DecodedGlobalId | undefined {
  if (typeof globalId !== 'string' || globalId.length > 200) return undefined;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0) return undefined;
  const typeName = decoded.slice(0, separator);
  const id = decoded.slice(separator + 1);
  if (!/^[A-Z][A-Za-z]*$/.test(typeName) || !UUID.test(id)) return undefined;
  return { typeName, id: id.toLowerCase() };
}

/** The database id behind a global ID that must be of the given type (mutation inputs). */
export function idOf(typeName: string, globalId: string, field = 'id'): string {
  const decoded = decodeGlobalId(globalId);
  if (!decoded || decoded.typeName !== typeName) {
    throw badUserInput(`"${field}" is not a valid ${typeName} ID`, [{ field, message: `Expected a ${typeName} ID` }]);
  }
  return decoded.id;
}
