import { randomBytes, randomUUID } from 'node:crypto';
import type { CreateSiteRequest, CreateStudyRequest, Site, Study, StudyOfUser, UpdateStudyRequest } from '@courier/api';
import type { Kysely } from 'kysely';
import { type Grant, type StudyAccess, siteScope } from '../access/study-access.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';
import type { Actor } from '../context.js';
import type { Database, StudyTable } from '../database/schema.js';
import { toSite, toStudy } from './mappers.js';

/**
 * Creates a study with a fresh 256-bit UID secret (the key of its deterministic UID remapping).
 * Defaults: Basic Profile without options, dates removed.
 *
 * @example
 * const study = await createStudy(db, now, actor, { identifier: 'RT-01', name: 'RT trial', sponsor: 'ACME', protocolId: 'P-1' });
 */
export async function createStudy(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  input: CreateStudyRequest,
): Promise<Study> {
  const row: StudyTable = {
    id: randomUUID(),
    identifier: input.identifier,
    name: input.name,
    sponsor: input.sponsor,
    protocolId: input.protocolId,
    status: 'active',
    deidJson: JSON.stringify(input.deid ?? { profile: 'basic', options: [] }),
    dateHandling: input.dateHandling ?? 'remove',
    uidSecret: randomBytes(32).toString('hex'),
    createdAt: now.toISOString(),
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('studies').values(row).execute();
    await appendAudit(trx, now, actor, {
      action: 'study.created',
      studyId: row.id,
      targetType: 'study',
      targetId: row.id,
      details: { identifier: row.identifier },
    });
  });
  return toStudy(row);
}

/**
 * Renames, locks or unlocks a study.
 *
 * @example
 * await updateStudy(db, now, actor, studyId, { status: 'locked' });
 */
export async function updateStudy(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  studyId: string,
  input: UpdateStudyRequest,
): Promise<Study> {
  return db.transaction().execute(async (trx) => {
    const changes: Partial<StudyTable> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.status !== undefined) changes.status = input.status;
    if (Object.keys(changes).length > 0)
      await trx.updateTable('studies').set(changes).where('id', '=', studyId).execute();
    await appendAudit(trx, now, actor, {
      action: 'study.updated',
      studyId,
      targetType: 'study',
      targetId: studyId,
      details: { ...changes },
    });
    return toStudy(await trx.selectFrom('studies').selectAll().where('id', '=', studyId).executeTakeFirstOrThrow());
  });
}

/**
 * Adds a site to a study.
 *
 * @example
 * const site = await createSite(db, now, actor, studyId, { code: 'S01', name: 'University Hospital' });
 */
export async function createSite(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  studyId: string,
  input: CreateSiteRequest,
): Promise<Site> {
  const row = { id: randomUUID(), studyId, code: input.code, name: input.name };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('sites').values(row).execute();
    await appendAudit(trx, now, actor, {
      action: 'site.created',
      studyId,
      targetType: 'site',
      targetId: row.id,
      details: { code: row.code },
    });
  });
  return toSite(row);
}

/**
 * A study as the holder of `access` sees it: its sites (only visible ones) and the user's roles.
 *
 * @example
 * const body = await studyOfUser(db, await loadStudyAccess(db, principal, studyId));
 */
export async function studyOfUser(db: Kysely<Database>, access: StudyAccess): Promise<StudyOfUser> {
  const scope = siteScope(access, 'view');
  const sites = await db
    .selectFrom('sites')
    .selectAll()
    .where('studyId', '=', access.study.id)
    .orderBy('code')
    .execute();
  const visible = scope === 'all' ? sites : sites.filter((site) => scope.includes(site.id));
  return {
    ...toStudy(access.study),
    roles: [...new Set(access.grants.map((grant) => grant.role))].sort(),
    allSites: scope === 'all',
    siteIds: visible.map((site) => site.id),
    sites: visible.map(toSite),
  };
}

/**
 * The studies a principal belongs to (every study for a system administrator), by identifier.
 *
 * @example
 * const studies = await studiesOfUser(db, principal);
 */
export async function studiesOfUser(db: Kysely<Database>, principal: Principal): Promise<StudyOfUser[]> {
  const memberships = await db
    .selectFrom('memberships')
    .select(['studyId', 'role', 'siteId'])
    .where('userId', '=', principal.userId)
    .execute();
  let query = db.selectFrom('studies').selectAll().orderBy('identifier');
  if (!principal.systemAdmin) {
    const ids = [...new Set(memberships.map((m) => m.studyId))];
    if (ids.length === 0) return [];
    query = query.where('id', 'in', ids);
  }
  const studies = await query.execute();
  const result: StudyOfUser[] = [];
  for (const study of studies) {
    const grants: Grant[] = memberships
      .filter((m) => m.studyId === study.id)
      .map((m) => ({ role: m.role, siteId: m.siteId }));
    if (principal.systemAdmin) grants.push({ role: 'admin', siteId: null });
    result.push(await studyOfUser(db, { study, grants }));
  }
  return result;
}
