import { navigate, useLocation } from '../router.js';

/** Which tab of the Subjects/Events/DICOM page is shown. */
export type PacsTab = 'subjects' | 'events' | 'dicom';

/** The page's selection, kept in the URL so a reload or the Uploader's "Finish" returns to it. */
export interface PacsSelection {
  tab: PacsTab;
  subjectId: string | null;
  eventId: string | null;
  select(next: Partial<{ tab: PacsTab; subjectId: string | null; eventId: string | null }>): void;
}

/**
 * Reads and writes `?tab=&subject=&event=` (identifiers only: never labels or patient data).
 *
 * @example
 * const { subjectId, select } = usePacsSelection();
 * select({ subjectId: subject.id, eventId: null, tab: 'events' });
 */
export function usePacsSelection(): PacsSelection {
  const { path, search } = useLocation();
  const tabParam = search.get('tab');
  const tab: PacsTab = tabParam === 'events' || tabParam === 'dicom' ? tabParam : 'subjects';
  const subjectId = search.get('subject');
  const eventId = search.get('event');
  return {
    tab,
    subjectId,
    eventId,
    select(next) {
      const merged = { tab, subjectId, eventId, ...next };
      const params = new URLSearchParams({ tab: merged.tab });
      if (merged.subjectId !== null) params.set('subject', merged.subjectId);
      if (merged.eventId !== null) params.set('event', merged.eventId);
      navigate(`${path}?${params.toString()}`, { replace: true });
    },
  };
}
