import { randomUUID } from 'node:crypto';
import {
  ApiError,
  type CreateEventDefinitionRequest,
  type CreateSlotDefinitionRequest,
  type EventDefinition,
  type EventSlot,
  type ScheduledEvent,
  type SlotDefinition,
} from '@courier/api';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { Actor } from '../context.js';
import type { Database, EventDefinitionTable, SlotDefinitionTable } from '../database/schema.js';
import { toSlotDefinition, toSlotValue } from './mappers.js';

async function nextPosition(
  db: Kysely<Database>,
  table: 'eventDefinitions' | 'slotDefinitions',
  where: [string, string],
): Promise<number> {
  const column = where[0] as 'studyId';
  const row = await db
    .selectFrom(table as 'eventDefinitions')
    .select((eb) => eb.fn.max('position').as('max'))
    .where(column, '=', where[1])
    .executeTakeFirst();
  return row?.max == null ? 0 : Number(row.max) + 1;
}

/**
 * Defines an event of a study's schedule (appended after the others unless `order` is given).
 *
 * @example
 * const baseline = await createEventDefinition(db, now, actor, studyId, { name: 'Baseline' });
 */
export async function createEventDefinition(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  studyId: string,
  input: CreateEventDefinitionRequest,
): Promise<EventDefinition> {
  return db.transaction().execute(async (trx) => {
    const row: EventDefinitionTable = {
      id: randomUUID(),
      studyId,
      name: input.name,
      repeating: input.repeating === true ? 1 : 0,
      position: input.order ?? (await nextPosition(trx, 'eventDefinitions', ['studyId', studyId])),
    };
    await trx.insertInto('eventDefinitions').values(row).execute();
    await appendAudit(trx, now, actor, {
      action: 'event_definition.created',
      studyId,
      targetType: 'event_definition',
      targetId: row.id,
      details: { name: row.name, repeating: row.repeating === 1 },
    });
    return { id: row.id, studyId, name: row.name, repeating: row.repeating === 1, order: row.position, slots: [] };
  });
}

/**
 * Defines an upload slot of an event.
 *
 * @example
 * await createSlotDefinition(db, now, actor, studyId, planning.id, { label: 'Planning CT', modalities: ['CT'] });
 */
export async function createSlotDefinition(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  studyId: string,
  eventDefinitionId: string,
  input: CreateSlotDefinitionRequest,
): Promise<SlotDefinition> {
  return db.transaction().execute(async (trx) => {
    const definition = await trx
      .selectFrom('eventDefinitions')
      .select('id')
      .where('id', '=', eventDefinitionId)
      .where('studyId', '=', studyId)
      .executeTakeFirst();
    if (definition === undefined) throw new ApiError('NOT_FOUND', 'no such event definition in this study');
    const row: SlotDefinitionTable = {
      id: randomUUID(),
      eventDefinitionId,
      label: input.label,
      modalitiesJson: JSON.stringify(input.modalities ?? []),
      position: input.order ?? (await nextPosition(trx, 'slotDefinitions', ['eventDefinitionId', eventDefinitionId])),
    };
    await trx.insertInto('slotDefinitions').values(row).execute();
    await appendAudit(trx, now, actor, {
      action: 'slot_definition.created',
      studyId,
      targetType: 'slot_definition',
      targetId: row.id,
      details: { label: row.label, eventDefinitionId },
    });
    return toSlotDefinition(row);
  });
}

/**
 * The event definitions of a study with their slots, in schedule order.
 *
 * @example
 * const definitions = await listEventDefinitions(db, studyId);
 */
export async function listEventDefinitions(db: Kysely<Database>, studyId: string): Promise<EventDefinition[]> {
  const definitions = await db
    .selectFrom('eventDefinitions')
    .selectAll()
    .where('studyId', '=', studyId)
    .orderBy('position')
    .orderBy('name')
    .execute();
  if (definitions.length === 0) return [];
  const slots = await db
    .selectFrom('slotDefinitions')
    .selectAll()
    .where(
      'eventDefinitionId',
      'in',
      definitions.map((d) => d.id),
    )
    .orderBy('position')
    .orderBy('label')
    .execute();
  return definitions.map((d) => ({
    id: d.id,
    studyId: d.studyId,
    name: d.name,
    repeating: d.repeating === 1,
    order: d.position,
    slots: slots.filter((s) => s.eventDefinitionId === d.id).map(toSlotDefinition),
  }));
}

/**
 * The events scheduled for a subject, in schedule order, with how many slots are filled.
 *
 * @example
 * const events = await listSubjectEvents(db, subject.id);
 */
export async function listSubjectEvents(db: Kysely<Database>, subjectId: string): Promise<ScheduledEvent[]> {
  const rows = await db
    .selectFrom('scheduledEvents as e')
    .innerJoin('eventDefinitions as d', 'd.id', 'e.eventDefinitionId')
    .select(['e.id', 'e.subjectId', 'e.eventDefinitionId', 'e.occurrence', 'e.date', 'e.status'])
    .select(['d.name', 'd.repeating'])
    .select((eb) => [
      eb
        .selectFrom('slotDefinitions as s')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('s.eventDefinitionId', '=', 'd.id')
        .as('totalSlots'),
      eb
        .selectFrom('slotValues as v')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('v.scheduledEventId', '=', 'e.id')
        .as('filledSlots'),
    ])
    .where('e.subjectId', '=', subjectId)
    .orderBy('d.position')
    .orderBy('e.occurrence')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    subjectId: row.subjectId,
    eventDefinitionId: row.eventDefinitionId,
    name: row.name,
    repeating: row.repeating === 1,
    occurrence: row.occurrence,
    date: row.date,
    status: row.status,
    filledSlots: Number(row.filledSlots ?? 0),
    totalSlots: Number(row.totalSlots ?? 0),
  }));
}

/**
 * Schedules an event for a subject: a non-repeating event only once, a repeating one as the next
 * occurrence.
 *
 * @example
 * const followUp = await scheduleEvent(db, now, actor, studyId, subject.id, { eventDefinitionId, date: '2026-12-01' });
 */
export async function scheduleEvent(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  studyId: string,
  subjectId: string,
  input: { eventDefinitionId: string; date?: string | undefined },
): Promise<ScheduledEvent> {
  const id = await db.transaction().execute(async (trx) => {
    const definition = await trx
      .selectFrom('eventDefinitions')
      .selectAll()
      .where('id', '=', input.eventDefinitionId)
      .where('studyId', '=', studyId)
      .executeTakeFirst();
    if (definition === undefined) throw new ApiError('VALIDATION_FAILED', 'no such event definition in this study');
    const last = await trx
      .selectFrom('scheduledEvents')
      .select((eb) => eb.fn.max('occurrence').as('max'))
      .where('subjectId', '=', subjectId)
      .where('eventDefinitionId', '=', definition.id)
      .executeTakeFirst();
    const occurrence = last?.max == null ? 1 : Number(last.max) + 1;
    if (occurrence > 1 && definition.repeating === 0) {
      throw new ApiError('ALREADY_EXISTS', `${definition.name} is not repeating and already scheduled`);
    }
    const eventId = randomUUID();
    await trx
      .insertInto('scheduledEvents')
      .values({
        id: eventId,
        subjectId,
        eventDefinitionId: definition.id,
        occurrence,
        date: input.date ?? null,
        status: 'scheduled',
        createdAt: now.toISOString(),
      })
      .execute();
    await appendAudit(trx, now, actor, {
      action: 'event.scheduled',
      studyId,
      targetType: 'scheduled_event',
      targetId: eventId,
      details: { subjectId, eventDefinitionId: definition.id, occurrence },
    });
    return eventId;
  });
  const events = await listSubjectEvents(db, subjectId);
  return events.find((event) => event.id === id)!;
}

/**
 * The slots of a subject's scheduled event with the DICOM study assigned to each.
 *
 * @example
 * const slots = await listEventSlots(db, subject.id, eventId);
 */
export async function listEventSlots(db: Kysely<Database>, subjectId: string, eventId: string): Promise<EventSlot[]> {
  const event = await db
    .selectFrom('scheduledEvents')
    .select(['id', 'eventDefinitionId'])
    .where('id', '=', eventId)
    .where('subjectId', '=', subjectId)
    .executeTakeFirst();
  if (event === undefined) throw new ApiError('NOT_FOUND', 'no such event for this subject');
  const rows = await db
    .selectFrom('slotDefinitions as s')
    .leftJoin('slotValues as v', (join) =>
      join.onRef('v.slotDefinitionId', '=', 's.id').on('v.scheduledEventId', '=', event.id),
    )
    .leftJoin('users as u', 'u.id', 'v.assignedBy')
    .select(['s.id', 's.label', 's.modalitiesJson', 'v.studyInstanceUid', 'v.assignedAt', 'v.uploadId', 'u.username'])
    .select([
      'u.displayName',
      'v.studyDate',
      'v.modalitiesJson as valueModalitiesJson',
      'v.seriesCount',
      'v.instanceCount',
    ])
    .where('s.eventDefinitionId', '=', event.eventDefinitionId)
    .orderBy('s.position')
    .orderBy('s.label')
    .execute();
  return rows.map((row) => ({
    slotDefinitionId: row.id,
    label: row.label,
    modalities: JSON.parse(row.modalitiesJson) as string[],
    value: toSlotValue({ ...row, assignedBy: row.username }),
  }));
}
