import { ApiError, type EventSlot, type SlotHistoryEntry } from '@courier/api';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { Actor } from '../context.js';
import type { Database } from '../database/schema.js';
import { listEventSlots } from '../edc/schedule-service.js';
import { currentSlotValue, moveToHistory } from './slot-value.js';

/** A slot of a subject's scheduled event, as the slot endpoints name it. */
export interface SlotRef {
  studyId: string;
  subjectId: string;
  eventId: string;
  slotDefinitionId: string;
}

/** Throws NOT_FOUND unless the event is the subject's and the slot belongs to the event's definition. */
async function requireSlot(db: Kysely<Database>, slot: SlotRef): Promise<void> {
  const found = await db
    .selectFrom('scheduledEvents as e')
    .innerJoin('slotDefinitions as s', 's.eventDefinitionId', 'e.eventDefinitionId')
    .select('s.id')
    .where('e.id', '=', slot.eventId)
    .where('e.subjectId', '=', slot.subjectId)
    .where('s.id', '=', slot.slotDefinitionId)
    .executeTakeFirst();
  if (found === undefined) throw new ApiError('NOT_FOUND', 'no such slot in this event of the subject');
}

async function eventSlot(db: Kysely<Database>, slot: SlotRef): Promise<EventSlot> {
  const slots = await listEventSlots(db, slot.subjectId, slot.eventId);
  return slots.find((s) => s.slotDefinitionId === slot.slotDefinitionId)!;
}

const target = (slot: SlotRef) => `${slot.eventId}/${slot.slotDefinitionId}`;

/**
 * Assigns a study stored for the subject (the catalogue of stored-study-catalogue.ts) to a slot,
 * in one transaction: a study the subject does not have is NOT_FOUND (never link what is not
 * stored); the study the slot already holds is SLOT_SAME_STUDY; a filled slot needs `overwrite`
 * (else SLOT_FILLED) and its value moves to the slot history as `replaced` with the reason. The
 * value gets the study's summary (date, modalities, counts) and no upload id (how = assign); the
 * audit log records it as an upload commit does (`slot.assigned` / `slot.overwritten`).
 *
 * @example
 * const slot = await assignStoredStudy(db, now, actor, ref, { studyInstanceUid, overwrite: false });
 */
export async function assignStoredStudy(
  db: Kysely<Database>,
  now: Date,
  actor: Actor & { userId: string },
  slot: SlotRef,
  input: { studyInstanceUid: string; overwrite: boolean; reason: string | null },
): Promise<EventSlot> {
  await requireSlot(db, slot);
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const study = await trx
      .selectFrom('storedStudies')
      .selectAll()
      .where('subjectId', '=', slot.subjectId)
      .where('studyInstanceUid', '=', input.studyInstanceUid)
      .executeTakeFirst();
    if (study === undefined || study.studyId !== slot.studyId) {
      throw new ApiError('NOT_FOUND', 'no study with this Study Instance UID is stored for the subject');
    }
    const current = await currentSlotValue(trx, slot.eventId, slot.slotDefinitionId);
    if (current !== undefined) {
      if (current.studyInstanceUid === input.studyInstanceUid) {
        throw new ApiError('SLOT_SAME_STUDY', undefined, { details: { studyInstanceUid: input.studyInstanceUid } });
      }
      if (!input.overwrite) {
        throw new ApiError('SLOT_FILLED', undefined, {
          details: { studyInstanceUid: current.studyInstanceUid, hint: 'send { "overwrite": true } to replace it' },
        });
      }
      await moveToHistory(trx, current, { at, by: actor.userId, action: 'replaced', reason: input.reason });
    }
    await trx
      .insertInto('slotValues')
      .values({
        scheduledEventId: slot.eventId,
        slotDefinitionId: slot.slotDefinitionId,
        studyInstanceUid: study.studyInstanceUid,
        assignedAt: at,
        assignedBy: actor.userId,
        uploadId: null,
        studyDate: study.studyDate,
        modalitiesJson: study.modalitiesJson,
        seriesCount: study.seriesCount,
        instanceCount: study.instanceCount,
      })
      .execute();
    await appendAudit(trx, now, actor, {
      action: current === undefined ? 'slot.assigned' : 'slot.overwritten',
      studyId: slot.studyId,
      targetType: 'slot',
      targetId: target(slot),
      details: {
        subjectId: slot.subjectId,
        how: 'assign',
        studyInstanceUid: study.studyInstanceUid,
        ...(current === undefined ? {} : { previousStudyInstanceUid: current.studyInstanceUid }),
        ...(input.reason === null ? {} : { reason: input.reason }),
      },
    });
  });
  return eventSlot(db, slot);
}

/**
 * Clears a slot: its value moves to the slot history as `cleared` with the (required) reason, the
 * stored study stays in the store and the catalogue (it can be assigned again). An empty slot is
 * SLOT_EMPTY. Audited as `slot.cleared`.
 *
 * @example
 * const slot = await clearSlotValue(db, now, actor, ref, 'wrong patient: belongs to A-002');
 */
export async function clearSlotValue(
  db: Kysely<Database>,
  now: Date,
  actor: Actor & { userId: string },
  slot: SlotRef,
  reason: string,
): Promise<EventSlot> {
  await requireSlot(db, slot);
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const current = await currentSlotValue(trx, slot.eventId, slot.slotDefinitionId);
    if (current === undefined) throw new ApiError('SLOT_EMPTY');
    await moveToHistory(trx, current, { at, by: actor.userId, action: 'cleared', reason });
    await appendAudit(trx, now, actor, {
      action: 'slot.cleared',
      studyId: slot.studyId,
      targetType: 'slot',
      targetId: target(slot),
      details: { subjectId: slot.subjectId, studyInstanceUid: current.studyInstanceUid, reason },
    });
  });
  return eventSlot(db, slot);
}

/**
 * Every value a slot held, the current one first, then older ones newest first: who assigned it,
 * when and how (an upload session, or an existing study assigned), and who ended it, when, how
 * (replaced or cleared) and why.
 *
 * @example
 * const entries = await slotHistory(db, ref);
 */
export async function slotHistory(db: Kysely<Database>, slot: SlotRef): Promise<SlotHistoryEntry[]> {
  await requireSlot(db, slot);
  const current = await db
    .selectFrom('slotValues as v')
    .leftJoin('users as u', 'u.id', 'v.assignedBy')
    .select(['v.studyInstanceUid', 'v.assignedAt', 'v.uploadId', 'u.username', 'u.displayName'])
    .where('v.scheduledEventId', '=', slot.eventId)
    .where('v.slotDefinitionId', '=', slot.slotDefinitionId)
    .executeTakeFirst();
  const past = await db
    .selectFrom('slotHistory as h')
    .leftJoin('users as a', 'a.id', 'h.assignedBy')
    .leftJoin('users as r', 'r.id', 'h.replacedBy')
    .select(['h.id', 'h.studyInstanceUid', 'h.assignedAt', 'h.uploadId', 'h.replacedAt', 'h.action', 'h.reason'])
    .select(['a.username as assignedBy', 'a.displayName as assignedByName'])
    .select(['r.username as endedBy', 'r.displayName as endedByName'])
    .where('h.scheduledEventId', '=', slot.eventId)
    .where('h.slotDefinitionId', '=', slot.slotDefinitionId)
    .orderBy('h.replacedAt', 'desc')
    .orderBy('h.id', 'desc')
    .execute();
  const entries: SlotHistoryEntry[] = [];
  if (current !== undefined) {
    entries.push({
      studyInstanceUid: current.studyInstanceUid,
      current: true,
      assignedAt: current.assignedAt,
      assignedBy: current.username ?? 'unknown',
      assignedByName: current.displayName ?? current.username ?? 'unknown',
      how: current.uploadId === null ? 'assign' : 'upload',
      uploadId: current.uploadId,
      endedAt: null,
      endedBy: null,
      endedByName: null,
      end: null,
      reason: null,
    });
  }
  for (const row of past) {
    entries.push({
      studyInstanceUid: row.studyInstanceUid,
      current: false,
      assignedAt: row.assignedAt,
      assignedBy: row.assignedBy ?? 'unknown',
      assignedByName: row.assignedByName ?? row.assignedBy ?? 'unknown',
      how: row.uploadId === null ? 'assign' : 'upload',
      uploadId: row.uploadId,
      endedAt: row.replacedAt,
      endedBy: row.endedBy ?? 'unknown',
      endedByName: row.endedByName ?? row.endedBy ?? 'unknown',
      end: row.action,
      reason: row.reason,
    });
  }
  return entries;
}
