import { randomInt, randomUUID } from 'node:crypto';
import {
  ApiError,
  type EnrolSubjectRequest,
  type Page,
  type Subject,
  type SubjectListQuery,
  type UpdateSubjectRequest,
} from '@courier/api';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { Actor } from '../context.js';
import { countValue } from '../database/dialect.js';
import type { Database, SubjectTable } from '../database/schema.js';
import { toSubject } from './mappers.js';
import { newPseudonym } from './pseudonym.js';

/**
 * Enrols a subject at a site: a random pseudonym with check character, a random date offset
 * (used when the study shifts dates) and one scheduled occurrence of every non-repeating event.
 *
 * @example
 * const subject = await enrolSubject(db, now, actor, studyId, { siteId, label: 'S01-001', sex: 'F', birthYear: 1956 });
 */
export async function enrolSubject(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  studyId: string,
  input: EnrolSubjectRequest,
): Promise<Subject> {
  return db.transaction().execute(async (trx) => {
    const site = await trx
      .selectFrom('sites')
      .select('id')
      .where('id', '=', input.siteId)
      .where('studyId', '=', studyId)
      .executeTakeFirst();
    if (site === undefined) throw new ApiError('VALIDATION_FAILED', 'the site is not a site of this study');
    const birthYear = input.birthYear ?? Number(input.birthDate!.slice(0, 4));
    let pseudonym = newPseudonym();
    // 40 random bits: a collision inside one study is very unlikely but must not fail the enrolment.
    for (let attempt = 0; attempt < 5; attempt++) {
      const taken = await trx
        .selectFrom('subjects')
        .select('id')
        .where('studyId', '=', studyId)
        .where('pseudonym', '=', pseudonym)
        .executeTakeFirst();
      if (taken === undefined) break;
      pseudonym = newPseudonym();
    }
    const row: SubjectTable = {
      id: randomUUID(),
      studyId,
      siteId: input.siteId,
      label: input.label,
      pseudonym,
      sex: input.sex,
      birthDate: input.birthDate ?? null,
      birthYear,
      enrolmentDate: input.enrolmentDate ?? now.toISOString().slice(0, 10),
      status: 'enrolled',
      dateOffsetDays: -randomInt(30, 3650),
      createdAt: now.toISOString(),
    };
    await trx.insertInto('subjects').values(row).execute();
    const definitions = await trx
      .selectFrom('eventDefinitions')
      .select('id')
      .where('studyId', '=', studyId)
      .where('repeating', '=', 0)
      .execute();
    for (const definition of definitions) {
      await trx
        .insertInto('scheduledEvents')
        .values({
          id: randomUUID(),
          subjectId: row.id,
          eventDefinitionId: definition.id,
          occurrence: 1,
          date: null,
          status: 'scheduled',
          createdAt: now.toISOString(),
        })
        .execute();
    }
    await appendAudit(trx, now, actor, {
      action: 'subject.enrolled',
      studyId,
      targetType: 'subject',
      targetId: row.id,
      details: { label: row.label, siteId: row.siteId },
    });
    return toSubject(row);
  });
}

/**
 * A page of a study's subjects in label order, limited to `sites` and matching `q` in label or
 * pseudonym (case-insensitive; LIKE wildcards in `q` are taken literally).
 *
 * @example
 * const page = await listSubjects(db, studyId, 'all', { q: 'S01', offset: 0, limit: 50 });
 */
export async function listSubjects(
  db: Kysely<Database>,
  studyId: string,
  sites: 'all' | string[],
  query: SubjectListQuery,
): Promise<Page<Subject>> {
  let base = db.selectFrom('subjects').where('studyId', '=', studyId);
  if (sites !== 'all') {
    if (sites.length === 0) return { items: [], total: 0, offset: query.offset, limit: query.limit };
    base = base.where('siteId', 'in', sites);
  }
  if (query.siteId !== undefined) base = base.where('siteId', '=', query.siteId);
  if (query.q !== undefined && query.q !== '') {
    const pattern = `%${query.q.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) =>
      eb.or([
        eb(eb.fn('upper', ['label']), 'like', eb.val(pattern)).$castTo<boolean>(),
        eb(eb.fn('upper', ['pseudonym']), 'like', eb.val(pattern)).$castTo<boolean>(),
      ]),
    );
  }
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('label').offset(query.offset).limit(query.limit).execute();
  return { items: rows.map(toSubject), total: countValue(total.n), offset: query.offset, limit: query.limit };
}

/**
 * A subject of a study; NOT_FOUND when it is not in this study.
 *
 * @example
 * const row = await findSubject(db, studyId, subjectId);
 */
export async function findSubject(db: Kysely<Database>, studyId: string, subjectId: string): Promise<SubjectTable> {
  const row = await db
    .selectFrom('subjects')
    .selectAll()
    .where('id', '=', subjectId)
    .where('studyId', '=', studyId)
    .executeTakeFirst();
  if (row === undefined) throw new ApiError('NOT_FOUND', 'no such subject in this study');
  return row;
}

/**
 * Relabels a subject or changes its status; the pseudonym never changes (it is in every upload).
 *
 * @example
 * await updateSubject(db, now, actor, studyId, subjectId, { status: 'withdrawn' });
 */
export async function updateSubject(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  studyId: string,
  subjectId: string,
  input: UpdateSubjectRequest,
): Promise<Subject> {
  return db.transaction().execute(async (trx) => {
    await findSubject(trx, studyId, subjectId);
    const changes: Partial<SubjectTable> = {};
    if (input.label !== undefined) changes.label = input.label;
    if (input.status !== undefined) changes.status = input.status;
    if (Object.keys(changes).length > 0)
      await trx.updateTable('subjects').set(changes).where('id', '=', subjectId).execute();
    await appendAudit(trx, now, actor, {
      action: 'subject.updated',
      studyId,
      targetType: 'subject',
      targetId: subjectId,
      details: { ...changes },
    });
    return toSubject(await findSubject(trx, studyId, subjectId));
  });
}
