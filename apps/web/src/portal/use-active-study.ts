import type { Me, StudyOfUser } from '@courier/api';
import { useMe, useStudies } from './session.js';

/** The logged-in user with the active study (undefined while loading or when there is none). */
export interface ActiveStudy {
  me: Me;
  study: StudyOfUser | undefined;
  studies: StudyOfUser[];
}

/**
 * The current user and the active study, for pages inside the shell (which guarantees a user).
 *
 * @example
 * const { study } = useActiveStudy();
 */
export function useActiveStudy(): ActiveStudy {
  const me = useMe().data;
  if (me === null || me === undefined) throw new Error('useActiveStudy outside the logged-in shell');
  const studies = useStudies(true).data ?? [];
  const study = studies.find((s) => s.id === me.activeStudyId) ?? (me.activeStudyId === null ? studies[0] : undefined);
  return { me, study, studies };
}
