import { listEventSlots, listStudies, listSubjectEvents, listSubjects } from '@courier/api';
import { parseCommand, required } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { HELP } from '../help.js';
import type { CliIo } from '../io.js';
import { authenticatedClient } from '../portal.js';
import { formatSlotId } from '../slot-id.js';
import { authFailure } from './errors.js';

/**
 * `courier slots --subject LABEL [--study IDENTIFIER] [--json]`.
 *
 * @example
 * await slotsCommand(['--subject', 'S01-001'], io);
 */
export async function slotsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(argv, {
    subject: { type: 'string' },
    study: { type: 'string' },
    portal: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.out.write(HELP.slots);
    return EXIT.OK;
  }
  const label = required(values.subject, '--subject');
  const client = await authenticatedClient(values.portal, io);
  const studies = (await client.call(listStudies).catch(authFailure)).filter(
    (s) => values.study === undefined || s.identifier === values.study,
  );
  const rows = [];
  for (const study of studies) {
    const subjects = await client.call(listSubjects, {
      params: { studyId: study.id },
      query: { q: label, offset: 0, limit: 200 },
    });
    for (const subject of subjects.items) {
      const events = await client.call(listSubjectEvents, { params: { studyId: study.id, subjectId: subject.id } });
      for (const event of events) {
        const slots = await client.call(listEventSlots, {
          params: { studyId: study.id, subjectId: subject.id, eventId: event.id },
        });
        for (const slot of slots) {
          const ids = {
            studyId: study.id,
            subjectId: subject.id,
            eventId: event.id,
            slotDefinitionId: slot.slotDefinitionId,
          };
          rows.push({
            slotId: formatSlotId(ids),
            ...ids,
            study: study.identifier,
            subjectLabel: subject.label,
            event: event.repeating ? `${event.name} ${event.occurrence}` : event.name,
            slot: slot.label,
            modalities: slot.modalities,
            value: slot.value,
          });
        }
      }
    }
  }
  if (values.json) io.out.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) io.out.write(`No slot found for subject "${label}".\n`);
  else {
    for (const r of rows) {
      const holds = r.value === null ? 'empty' : `holds ${r.value.studyInstanceUid}`;
      io.out.write(
        `${r.slotId}  ${r.study} ${r.subjectLabel}  ${r.event}  ${r.slot} [${r.modalities.join(',')}]  ${holds}\n`,
      );
    }
  }
  return EXIT.OK;
}
