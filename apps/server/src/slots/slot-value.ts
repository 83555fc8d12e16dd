import type { Kysely } from 'kysely';
import type { Database, SlotValueTable } from '../database/schema.js';

/** The columns of a slot value that its history entry keeps. */
export type CurrentSlotValue = Pick<
  SlotValueTable,
  'scheduledEventId' | 'slotDefinitionId' | 'studyInstanceUid' | 'assignedAt' | 'assignedBy' | 'uploadId'
>;

/**
 * The value a slot holds now, or undefined when it is empty. Upload commit, Assign Existing and
 * Clear slot all start from it inside their transaction.
 *
 * @example
 * const current = await currentSlotValue(trx, eventId, slotDefinitionId);
 */
export async function currentSlotValue(
  db: Kysely<Database>,
  scheduledEventId: string,
  slotDefinitionId: string,
): Promise<CurrentSlotValue | undefined> {
  return db
    .selectFrom('slotValues')
    .select(['scheduledEventId', 'slotDefinitionId', 'studyInstanceUid', 'assignedAt', 'assignedBy', 'uploadId'])
    .where('scheduledEventId', '=', scheduledEventId)
    .where('slotDefinitionId', '=', slotDefinitionId)
    .executeTakeFirst();
}

/**
 * Ends a slot's current value: it moves to the slot history with who ended it, when, how
 * (`replaced` by an upload or an assignment, or `cleared`) and why, and the slot is empty again.
 * Call inside the transaction that writes the new value (or the clear's audit record).
 *
 * @example
 * await moveToHistory(trx, current, { at, by: userId, action: 'replaced', reason: null });
 */
export async function moveToHistory(
  trx: Kysely<Database>,
  current: CurrentSlotValue,
  end: { at: string; by: string; action: 'replaced' | 'cleared'; reason: string | null },
): Promise<void> {
  await trx
    .insertInto('slotHistory')
    .values({
      scheduledEventId: current.scheduledEventId,
      slotDefinitionId: current.slotDefinitionId,
      studyInstanceUid: current.studyInstanceUid,
      assignedAt: current.assignedAt,
      assignedBy: current.assignedBy,
      uploadId: current.uploadId,
      replacedAt: end.at,
      replacedBy: end.by,
      action: end.action,
      reason: end.reason,
    })
    .execute();
  await trx
    .deleteFrom('slotValues')
    .where('scheduledEventId', '=', current.scheduledEventId)
    .where('slotDefinitionId', '=', current.slotDefinitionId)
    .execute();
}
