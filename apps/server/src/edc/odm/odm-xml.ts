import { ApiError, ODM_MAX_CHARS, ODM_PROBLEMS, type OdmProblem } from '@courier/api';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The namespace of ODM 1.3, 1.3.1 and 1.3.2 (ODM 1.3.2 specification §2.2). */
export const ODM_NAMESPACE = 'http://www.cdisc.org/ns/odm/v1.3';

/** A parsed element: attributes as `@_Name`, children by tag name (always arrays for ODM elements). */
export type XmlNode = { [key: string]: unknown };

/**
 * The ODM error of an import: 400 VALIDATION_FAILED whose `details.odm` is a stable code of
 * ODM_PROBLEMS.
 *
 * @example
 * throw odmProblem('ODM_NOT_ODM', 'root element is <foo>');
 */
export function odmProblem(code: OdmProblem, detail?: string): ApiError {
  return new ApiError('VALIDATION_FAILED', `${ODM_PROBLEMS[code]}${detail === undefined ? '' : ` (${detail})`}`, {
    details: { odm: code, ...(detail === undefined ? {} : { detail }) },
  });
}

// A DOCTYPE is where entities (internal ones for "billion laughs", external ones for XXE) are
// declared; ODM documents never need one (ODM 1.3.2 §2.2: validated by XML Schema, not a DTD),
// so any declaration is refused before a parser sees the text.
const DECLARATION = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Only the five predefined entities and character references remain possible here.
  processEntities: true,
  maxNestedTags: 64,
  // Every unprefixed ODM element may repeat; treating all as arrays keeps the walk uniform.
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && !name.includes(':'),
});

/**
 * Parses an ODM document safely: bounded size, no DOCTYPE or entity declarations (XXE and entity
 * expansion are impossible), well-formedness checked with a line and column in the message, root
 * element `<ODM>`. Returns the root element.
 *
 * @example
 * const odm = parseOdmXml(text); // odm['@_ODMVersion'] === '1.3'
 */
export function parseOdmXml(text: string): { root: XmlNode; warnings: string[] } {
  if (text.length > ODM_MAX_CHARS) throw odmProblem('ODM_TOO_LARGE', `${text.length} characters`);
  const declaration = DECLARATION.exec(text);
  if (declaration !== null) throw odmProblem('ODM_DOCTYPE_FORBIDDEN', `<!${declaration[1]} found`);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw odmProblem('ODM_NOT_WELL_FORMED', `line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  }
  let parsed: XmlNode;
  try {
    parsed = parser.parse(text) as XmlNode;
  } catch (error) {
    throw odmProblem('ODM_NOT_WELL_FORMED', error instanceof Error ? error.message : String(error));
  }
  const rootNames = Object.keys(parsed).filter((key) => !key.startsWith('?') && !key.startsWith('#'));
  const root = (parsed.ODM as XmlNode[] | undefined)?.[0];
  if (root === undefined || rootNames.length !== 1) {
    throw odmProblem('ODM_NOT_ODM', `root element <${rootNames.join('>, <') || 'none'}>`);
  }
  const warnings: string[] = [];
  if (root['@_xmlns'] !== ODM_NAMESPACE) {
    warnings.push(`the ODM element is not in the ODM 1.3 namespace ${ODM_NAMESPACE}`);
  }
  return { root, warnings };
}

/** The child elements of a node with a tag name (ODM elements are unprefixed). */
export function children(node: XmlNode, name: string): XmlNode[] {
  const value = node[name];
  return Array.isArray(value)
    ? (value as unknown[]).filter((v): v is XmlNode => typeof v === 'object' && v !== null)
    : [];
}

/** An attribute's value, or undefined. */
export function attribute(node: XmlNode, name: string): string | undefined {
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

/** The text of the first `TranslatedText` of a child (`Question`, `Description`), English preferred. */
export function translatedText(node: XmlNode, name: string): string | undefined {
  // A TranslatedText without attributes parses to a plain string, one with xml:lang to a node.
  const texts = children(node, name).flatMap((child) =>
    Array.isArray(child.TranslatedText) ? child.TranslatedText : [],
  );
  const lang = (t: unknown) =>
    typeof t === 'object' && t !== null ? (attribute(t as XmlNode, 'xml:lang') ?? '').toLowerCase() : '';
  const chosen = texts.find((t) => lang(t).startsWith('en')) ?? texts[0];
  const text =
    typeof chosen === 'string'
      ? chosen
      : typeof chosen === 'object' && chosen !== null
        ? (chosen as XmlNode)['#text']
        : undefined;
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}
