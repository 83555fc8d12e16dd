import type { CreateUploadRequest } from '@courier/api';
import { CliError, EXIT } from './exit-codes.js';

/**
 * A slot id as `courier slots` prints it: study, subject, scheduled event and slot definition,
 * joined by slashes — everything `POST /api/uploads` needs, and nothing that identifies the patient.
 *
 * @example
 * formatSlotId({ studyId: 'a', subjectId: 'b', eventId: 'c', slotDefinitionId: 'd' }); // 'a/b/c/d'
 */
export function formatSlotId(slot: CreateUploadRequest): string {
  return [slot.studyId, slot.subjectId, slot.eventId, slot.slotDefinitionId].join('/');
}

/**
 * Reads a slot id (usage error, exit 2, when it is not four ids).
 *
 * @example
 * parseSlotId('a/b/c/d').eventId; // 'c'
 */
export function parseSlotId(text: string): CreateUploadRequest {
  const parts = text.split('/');
  if (parts.length !== 4 || parts.some((p) => !/^[0-9a-f-]{36}$/i.test(p))) {
    throw new CliError(EXIT.USAGE, `--slot ${text} is not a slot id (courier slots prints them)`);
  }
  const [studyId, subjectId, eventId, slotDefinitionId] = parts as [string, string, string, string];
  return { studyId, subjectId, eventId, slotDefinitionId };
}
