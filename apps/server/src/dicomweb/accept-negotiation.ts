import { ApiError, DICOM_JSON_MEDIA_TYPE } from '@courier/api';

/**
 * One media range of an Accept header (RFC 9110 12.5.1): `type/subtype` (either may be `*`),
 * its parameters (names lower-cased, quotes removed) and its quality.
 */
export interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly params: ReadonlyMap<string, string>;
  /** 0…1; 0 means "not acceptable". */
  readonly q: number;
}

/** A representation the Portal can send: a media type and its parameters, e.g. one part's type and syntax. */
export interface Representation {
  readonly type: string;
  readonly subtype: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Splits on a separator outside double quotes (a quoted `type="a,b"` stays whole). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (c === separator && !quoted) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

const unquote = (value: string) =>
  value.startsWith('"') && value.endsWith('"') && value.length >= 2
    ? value.slice(1, -1).replace(/\\(.)/g, '$1')
    : value;

/**
 * Parses an Accept header into media ranges. No header (or an empty one) accepts anything
 * (RFC 9110 12.5.1: "*\/*"). A range that is not `type/subtype` is ignored.
 *
 * @example
 * parseAccept('multipart/related; type="application/dicom"; transfer-syntax=*, *\/*;q=0.1');
 */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === '') return [{ type: '*', subtype: '*', params: new Map(), q: 1 }];
  const ranges: MediaRange[] = [];
  for (const item of splitOutsideQuotes(header, ',')) {
    const [mediaType = '', ...rawParams] = splitOutsideQuotes(item, ';').map((p) => p.trim());
    const match = /^([\w!#$%&'*+.^`|~-]+)\/([\w!#$%&'*+.^`|~-]+)$/.exec(mediaType.toLowerCase());
    if (match === null) continue;
    const params = new Map<string, string>();
    let q = 1;
    for (const param of rawParams) {
      const equals = param.indexOf('=');
      if (equals <= 0) continue;
      const name = param.slice(0, equals).trim().toLowerCase();
      const value = unquote(param.slice(equals + 1).trim());
      if (name === 'q') {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? Math.min(1, Math.max(0, parsed)) : 1;
      } else params.set(name, value);
    }
    ranges.push({ type: match[1]!, subtype: match[2]!, params, q });
  }
  return ranges;
}

/** How specifically a range matches a representation, or -1 when it does not match. */
function specificity(range: MediaRange, offer: Representation): number {
  if (range.type !== '*' && range.type !== offer.type) return -1;
  if (range.subtype !== '*' && range.subtype !== offer.subtype) return -1;
  if (range.type === '*') return 0;
  if (range.subtype === '*') return 1;
  for (const [name, value] of range.params) {
    const offered = offer.params[name];
    // `transfer-syntax=*` asks for any syntax (PS3.18 8.7.3.5.2); media type names are
    // case-insensitive, UIDs are not.
    if (name === 'transfer-syntax' && value === '*') continue;
    if (offered === undefined) return -1;
    if (name === 'type' ? offered.toLowerCase() !== value.toLowerCase() : offered !== value) return -1;
  }
  return 2 + range.params.size;
}

/**
 * The quality the client gives a representation: the q of the most specific range that matches it
 * (RFC 9110 12.5.1), 0 when none does.
 *
 * @example
 * qualityOf(parseAccept('*\/*;q=0.5, application/dicom+json'), { type: 'application', subtype: 'dicom+json', params: {} }); // 1
 */
export function qualityOf(ranges: readonly MediaRange[], offer: Representation): number {
  let best = -1;
  let q = 0;
  for (const range of ranges) {
    const s = specificity(range, offer);
    if (s > best) {
      best = s;
      q = range.q;
    }
  }
  return q;
}

const describe = (offer: Representation) =>
  [`${offer.type}/${offer.subtype}`, ...Object.entries(offer.params).map(([k, v]) => `${k}=${v}`)].join('; ');

/** A multipart/related representation whose parts have this type and transfer syntax (PS3.18 8.7.3.5). */
function multipartOffer(partType: string, transferSyntaxUid: string): Representation {
  return { type: 'multipart', subtype: 'related', params: { type: partType, 'transfer-syntax': transferSyntaxUid } };
}

/**
 * WADO-RS Retrieve Instance, Series or Study (PS3.18 10.4.1.1.1; media types 8.7.3.5): the Portal
 * sends the stored Part 10 bytes untouched, so it can honour only an Accept that allows, for every
 * stored transfer syntax, `multipart/related; type="application/dicom"` with that syntax, `*`, or
 * no transfer-syntax parameter (taken as "no preference": the part's Content-Type names the
 * syntax, PS3.18 8.7.3.4). Anything else would be a wrong answer, so it is 406 NOT_ACCEPTABLE with
 * the stored syntaxes named: transcoding is not offered.
 *
 * @example
 * requireInstancesAcceptable(request.headers.accept, ['1.2.840.10008.1.2.4.90']);
 */
export function requireInstancesAcceptable(accept: string | undefined, storedSyntaxes: Iterable<string>): void {
  const ranges = parseAccept(accept);
  const refused = [...new Set(storedSyntaxes)].filter(
    (syntax) => qualityOf(ranges, multipartOffer('application/dicom', syntax)) <= 0,
  );
  if (refused.length > 0) {
    throw new ApiError(
      'NOT_ACCEPTABLE',
      `the instances are stored as ${refused.join(', ')} and are sent only so, as ` +
        `multipart/related; type="application/dicom" (the Portal does not transcode); ` +
        `ask for transfer-syntax=* or the stored syntax, not "${accept}"`,
    );
  }
}

/**
 * WADO-RS metadata (PS3.18 10.4.1.1.2): only DICOM JSON (application/dicom+json, also accepted as
 * application/json) is offered; the multipart XML form is not.
 *
 * @example
 * requireMetadataAcceptable(request.headers.accept);
 */
export function requireMetadataAcceptable(accept: string | undefined): void {
  const ranges = parseAccept(accept);
  const json = { type: 'application', subtype: 'json', params: {} };
  const dicomJson = { type: 'application', subtype: 'dicom+json', params: {} };
  if (qualityOf(ranges, dicomJson) <= 0 && qualityOf(ranges, json) <= 0) {
    throw new ApiError('NOT_ACCEPTABLE', `metadata is sent only as ${DICOM_JSON_MEDIA_TYPE}, not "${accept}"`);
  }
}

/** Explicit VR Little Endian: the syntax of native (uncompressed) frames and bulk data (PS3.18 8.7.3.5.2). */
const NATIVE = '1.2.840.10008.1.2.1';

/**
 * WADO-RS frames and bulk data (PS3.18 10.4.1.1.5, 10.4.1.1.6): only native bytes are offered,
 * `multipart/related; type="application/octet-stream"` with Explicit VR Little Endian (or `*`, or
 * no transfer-syntax). A compressed syntax or a rendered type (image/jpeg…) is 406.
 *
 * @example
 * requireOctetStreamAcceptable(request.headers.accept);
 */
export function requireOctetStreamAcceptable(accept: string | undefined): void {
  const offer = multipartOffer('application/octet-stream', NATIVE);
  if (qualityOf(parseAccept(accept), offer) <= 0) {
    throw new ApiError(
      'NOT_ACCEPTABLE',
      `frames and bulk data are sent only as ${describe(offer)} (uncompressed), not "${accept}"`,
    );
  }
}

/**
 * WADO-URI's `transferSyntax` parameter (PS3.18 9, the URI service): the stored file is sent as it
 * is, so a request naming another syntax is 406 NOT_ACCEPTABLE instead of a file in the wrong
 * syntax; no parameter (or `*`) takes the stored one.
 *
 * @example
 * requireWadoUriSyntax(query.transferSyntax, indexed.transferSyntaxUid);
 */
export function requireWadoUriSyntax(requested: string | undefined, stored: string): void {
  if (requested === undefined || requested === '*' || requested.trim() === stored) return;
  throw new ApiError(
    'NOT_ACCEPTABLE',
    `the instance is stored as ${stored} and sent only so (the Portal does not transcode); ` +
      `leave transferSyntax out or ask for ${stored}, not ${requested}`,
  );
}
