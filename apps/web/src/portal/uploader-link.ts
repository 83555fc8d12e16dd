/** The identifiers that name one upload slot: a slot definition within a subject's scheduled event. */
export interface SlotRef {
  studyId: string;
  subjectId: string;
  eventId: string;
  slotDefinitionId: string;
}

const KEYS: Record<keyof SlotRef, string> = {
  studyId: 'study',
  subjectId: 'subject',
  eventId: 'event',
  slotDefinitionId: 'slot',
};

/**
 * The Uploader window's URL for a slot. It carries the Portal's opaque identifiers only — never a
 * label, pseudonym, name, birth date or sex — because URLs end up in browser history, proxy logs
 * and referrers (ARCHITECTURE.md, "side channels").
 *
 * @example
 * window.open(uploaderUrl(ref), '_blank');
 */
export function uploaderUrl(ref: SlotRef): string {
  const params = new URLSearchParams();
  for (const [key, name] of Object.entries(KEYS) as [keyof SlotRef, string][]) params.set(name, ref[key]);
  return `/uploader?${params.toString()}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the slot back from the Uploader's query string; null when a part is missing or not an id.
 *
 * @example
 * const ref = parseUploaderSearch(new URLSearchParams(location.search));
 */
export function parseUploaderSearch(search: URLSearchParams): SlotRef | null {
  const ref: Partial<SlotRef> = {};
  for (const [key, name] of Object.entries(KEYS) as [keyof SlotRef, string][]) {
    const value = search.get(name);
    if (value === null || !UUID.test(value)) return null;
    ref[key] = value;
  }
  return ref as SlotRef;
}
