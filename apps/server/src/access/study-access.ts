import { ApiError, type Role } from '@courier/api';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Database, StudyTable } from '../database/schema.js';

/** One grant: a role at one site, or (siteId null) at every site of the study. */
export interface Grant {
  role: Role;
  siteId: string | null;
}

/** What a principal may do in one study: the study row and the grants of its memberships. */
export interface StudyAccess {
  study: StudyTable;
  grants: Grant[];
}

/** What can be done in a study, and which roles may do it. */
export const CAPABILITIES: {
  readonly view: readonly Role[];
  readonly schedule: readonly Role[];
  readonly setUp: readonly Role[];
  readonly administer: readonly Role[];
  readonly upload: readonly Role[];
  readonly manageSlots: readonly Role[];
  readonly download: readonly Role[];
} = {
  /** Read the study, its subjects, events and slots (site scope applies). */
  view: ['admin', 'study_manager', 'site_uploader', 'monitor'],
  /** Schedule an event for a subject (site scope applies). */
  schedule: ['admin', 'study_manager', 'site_uploader'],
  /** Sites, event and slot definitions, enrolment, the membership list. */
  setUp: ['admin', 'study_manager'],
  /** Memberships, locking, the study's audit log. */
  administer: ['admin'],
  /** Upload DICOM to a subject's slot (site scope applies). */
  upload: ['admin', 'study_manager', 'site_uploader'],
  /** Clear a slot's assignment (with a reason); assigning a stored study needs `upload`. */
  manageSlots: ['admin', 'study_manager'],
  /**
   * Download assigned studies as zip files (site scope applies). Central review reads them (monitor,
   * study manager); a site uploader sent them and keeps the originals, so bulk export out of the
   * Portal is not part of its role (it can still view them over DICOMweb).
   */
  download: ['admin', 'study_manager', 'monitor'],
};

/** A capability name of {@link CAPABILITIES}. */
export type Capability = keyof typeof CAPABILITIES;

/**
 * Loads a study and the principal's grants in it. System administrators hold `admin` at every
 * site. Throws NOT_FOUND for an unknown study and FORBIDDEN when the principal is no member.
 *
 * @example
 * const access = await loadStudyAccess(db, principal, params.studyId);
 * requireCapability(access, 'view', subject.siteId);
 */
export async function loadStudyAccess(
  db: Kysely<Database>,
  principal: Principal,
  studyId: string,
): Promise<StudyAccess> {
  const study = await db.selectFrom('studies').selectAll().where('id', '=', studyId).executeTakeFirst();
  if (study === undefined) throw new ApiError('NOT_FOUND', 'no such study');
  const grants: Grant[] = await db
    .selectFrom('memberships')
    .select(['role', 'siteId'])
    .where('userId', '=', principal.userId)
    .where('studyId', '=', studyId)
    .execute();
  if (principal.systemAdmin) grants.push({ role: 'admin', siteId: null });
  if (grants.length === 0) throw new ApiError('FORBIDDEN', 'not a member of this study');
  return { study, grants };
}

/**
 * Whether the access allows a capability at a site (or, with `siteId` undefined, at every site).
 *
 * @example
 * can(access, 'view', subject.siteId); // true for a monitor, or the uploader of that site
 */
export function can(access: StudyAccess, capability: Capability, siteId?: string): boolean {
  const roles = CAPABILITIES[capability];
  return access.grants.some(
    (grant) =>
      roles.includes(grant.role) && (grant.siteId === null || (siteId !== undefined && grant.siteId === siteId)),
  );
}

/**
 * Throws FORBIDDEN unless {@link can} allows it.
 *
 * @example
 * requireCapability(access, 'setUp');
 */
export function requireCapability(access: StudyAccess, capability: Capability, siteId?: string): void {
  if (!can(access, capability, siteId)) throw new ApiError('FORBIDDEN', `${capability} is not allowed here`);
}

/**
 * The sites where a capability holds: `'all'` or a list of site ids (possibly empty).
 *
 * @example
 * const scope = siteScope(access, 'view'); // filters the subject list
 */
export function siteScope(access: StudyAccess, capability: Capability): 'all' | string[] {
  const roles = CAPABILITIES[capability];
  const grants = access.grants.filter((grant) => roles.includes(grant.role));
  if (grants.some((grant) => grant.siteId === null)) return 'all';
  return [...new Set(grants.map((grant) => grant.siteId!))];
}

/**
 * Throws STUDY_LOCKED for a change to a locked study.
 *
 * @example
 * requireUnlocked(access);
 */
export function requireUnlocked(access: StudyAccess): void {
  if (access.study.status === 'locked') throw new ApiError('STUDY_LOCKED');
}
