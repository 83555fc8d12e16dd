import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { Link, useLocation } from '../router.js';

/** Where the viewer opens, and where its "back" link returns to. */
export interface ViewerTarget {
  /** Portal study id (the active study). */
  readonly studyId: string;
  /** Study Instance UID of the assigned DICOM study. */
  readonly studyInstanceUid: string;
  readonly subjectId?: string;
  readonly eventId?: string;
}

/**
 * The viewer's URL: `/viewer?study=…&uid=…` plus the subject and event to return to; Portal
 * identifiers and the (de-identified) Study Instance UID only, never a label or patient value.
 *
 * @example
 * viewerPath({ studyId, studyInstanceUid: '1.2.3' }); // '/viewer?study=…&uid=1.2.3'
 */
export function viewerPath(target: ViewerTarget): string {
  const query = new URLSearchParams({ study: target.studyId, uid: target.studyInstanceUid });
  if (target.subjectId !== undefined) query.set('subject', target.subjectId);
  if (target.eventId !== undefined) query.set('event', target.eventId);
  return `/viewer?${query.toString()}`;
}

/**
 * "View": opens the viewer on an assigned study (a link, so middle-click opens a tab). The
 * subject and event to return to default to the current page's (`?subject=&event=` of the DICOM tab).
 *
 * @example
 * <ViewerLink studyId={study.id} studyInstanceUid={slot.value.studyInstanceUid} />
 */
export function ViewerLink(props: ViewerTarget): ReactNode {
  const { t } = useI18n();
  const { search } = useLocation();
  const subjectId = props.subjectId ?? search.get('subject') ?? undefined;
  const eventId = props.eventId ?? search.get('event') ?? undefined;
  const target = {
    ...props,
    ...(subjectId === undefined ? {} : { subjectId }),
    ...(eventId === undefined ? {} : { eventId }),
  };
  return (
    <Link to={viewerPath(target)} data-testid="open-viewer">
      {t('viewer.open')}
    </Link>
  );
}
