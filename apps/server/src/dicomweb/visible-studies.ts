import { ApiError } from '@courier/api';
import type { Kysely } from 'kysely';
import { CAPABILITIES, type Capability } from '../access/study-access.js';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../database/schema.js';

/** One current slot assignment of a stored study, with the subject it belongs to. */
export interface StudyAssignment {
  studyInstanceUid: string;
  /** The Courier study (trial) the subject is enrolled in. */
  studyId: string;
  siteId: string;
  subjectId: string;
  pseudonym: string;
  /**
   * Changes whenever a slot assignment of this UID changes (every commit into the store assigns a
   * slot with a new upload id): the study index cache trusts its headers while this stays the same.
   */
  version: string;
}

/**
 * Every current slot assignment (slot_values, not the history) with its subject, optionally of one
 * Study Instance UID. A study can sit in several slots (assign existing), so a UID may come back
 * more than once.
 */
async function assignments(db: Kysely<Database>, studyInstanceUid?: string): Promise<StudyAssignment[]> {
  let query = db
    .selectFrom('slotValues as v')
    .innerJoin('scheduledEvents as e', 'e.id', 'v.scheduledEventId')
    .innerJoin('subjects as s', 's.id', 'e.subjectId')
    .select(['v.studyInstanceUid', 'v.assignedAt', 'v.uploadId', 's.studyId', 's.siteId', 's.id as subjectId'])
    .select('s.pseudonym');
  if (studyInstanceUid !== undefined) query = query.where('v.studyInstanceUid', '=', studyInstanceUid);
  const rows = await query.orderBy('v.studyInstanceUid').execute();
  const versions = new Map<string, string[]>();
  for (const row of rows) {
    const list = versions.get(row.studyInstanceUid) ?? [];
    list.push(`${row.assignedAt}/${row.uploadId ?? '-'}`);
    versions.set(row.studyInstanceUid, list);
  }
  return rows.map(({ assignedAt: _at, uploadId: _upload, ...row }) => ({
    ...row,
    version: versions.get(row.studyInstanceUid)!.sort().join(','),
  }));
}

/** A test of "may this principal do X with the subject at (study, site)" built from its memberships. */
async function permits(
  db: Kysely<Database>,
  principal: Principal,
  capability: Capability,
): Promise<(assignment: StudyAssignment) => boolean> {
  if (principal.systemAdmin) return () => true;
  const roles = CAPABILITIES[capability];
  const grants = (
    await db
      .selectFrom('memberships')
      .select(['studyId', 'siteId', 'role'])
      .where('userId', '=', principal.userId)
      .execute()
  ).filter((grant) => roles.includes(grant.role));
  return (a) => grants.some((g) => g.studyId === a.studyId && (g.siteId === null || g.siteId === a.siteId));
}

/**
 * The studies a principal may read over the Portal's DICOMweb service: those whose Study Instance
 * UID is currently assigned to a slot of a subject the principal may `view` (site scope applies;
 * system administrators see every assigned study). One entry per UID (the first visible assignment).
 *
 * @example
 * const visible = await listVisibleStudies(db, principal); // [{ studyInstanceUid, pseudonym, ... }]
 */
export async function listVisibleStudies(db: Kysely<Database>, principal: Principal): Promise<StudyAssignment[]> {
  const allowed = await permits(db, principal, 'view');
  const seen = new Map<string, StudyAssignment>();
  for (const assignment of await assignments(db)) {
    if (!seen.has(assignment.studyInstanceUid) && allowed(assignment))
      seen.set(assignment.studyInstanceUid, assignment);
  }
  return [...seen.values()];
}

/**
 * The visible assignment of one Study Instance UID, or NOT_FOUND — also when the study exists but
 * the principal may not see it: a 403 would tell that it exists (PS3.18 leaves access control to
 * the origin server; we answer as if absent).
 *
 * @example
 * const { pseudonym } = await requireVisibleStudy(db, principal, params.studyInstanceUid);
 */
export async function requireVisibleStudy(
  db: Kysely<Database>,
  principal: Principal,
  studyInstanceUid: string,
  capability: Capability = 'view',
): Promise<StudyAssignment> {
  const allowed = await permits(db, principal, capability);
  const found = (await assignments(db, studyInstanceUid)).find(allowed);
  if (found === undefined) throw new ApiError('NOT_FOUND', 'no such study');
  return found;
}
