import type { Role, StudyOfUser } from '@courier/api';

/** What the user may do with slots in a study (the server enforces the same rules, site-scoped). */
export interface SlotAbilities {
  /** Assign an existing stored study (as for uploading: admins, study managers, site uploaders). */
  assign: boolean;
  /** Clear a slot with a reason (study managers and admins only). */
  clear: boolean;
  /** Download an assigned study or series as a zip (capability `download`: admins, study managers, monitors). */
  download: boolean;
}

const ASSIGN: readonly Role[] = ['admin', 'study_manager', 'site_uploader'];
const CLEAR: readonly Role[] = ['admin', 'study_manager'];
const DOWNLOAD: readonly Role[] = ['admin', 'study_manager', 'monitor'];

/**
 * The slot commands to offer for a study, from the user's roles in it.
 *
 * @example
 * const can = slotAbilities(study);
 * if (can.clear) showClearButton();
 */
export function slotAbilities(study: Pick<StudyOfUser, 'roles' | 'status'>): SlotAbilities {
  const unlocked = study.status !== 'locked';
  return {
    assign: unlocked && study.roles.some((role) => ASSIGN.includes(role)),
    clear: unlocked && study.roles.some((role) => CLEAR.includes(role)),
    // Reading is allowed in a locked study too.
    download: study.roles.some((role) => DOWNLOAD.includes(role)),
  };
}
