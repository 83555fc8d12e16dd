import { randomUUID } from 'node:crypto';
import { ApiError, type OdmEventPreview, type OdmImportResult, type OdmSlotPreview } from '@courier/api';
import type { Kysely } from 'kysely';
import { appendAudit } from '../../audit/audit-log.js';
import type { Actor } from '../../context.js';
import type { Database, EventDefinitionTable, SlotDefinitionTable } from '../../database/schema.js';
import { type OdmMetadata, readOdmMetadata } from './odm-metadata.js';
import { parseOdmXml } from './odm-xml.js';

/** A planned slot with the row it maps to (absent for a slot to create). */
interface PlannedSlot extends OdmSlotPreview {
  slotDefinitionId: string | null;
  mapped: boolean;
}

/** A planned event with the row it maps to (absent for an event to create). */
interface PlannedEvent extends Omit<OdmEventPreview, 'slots'> {
  eventDefinitionId: string | null;
  mapped: boolean;
  slots: PlannedSlot[];
}

interface Plan {
  metadata: OdmMetadata;
  events: PlannedEvent[];
  skipped: { studyEventOid: string; name: string }[];
  warnings: string[];
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Compares the ODM metadata with the study's event and slot definitions. An event or slot is
 * matched by the OIDs recorded at an earlier import first, then by name/label (adopting a
 * definition made by hand, e.g. the demo's "Planning"), else it is to be created. Nothing is ever
 * deleted: definitions the file no longer has are kept (slots may hold data).
 */
async function plan(db: Kysely<Database>, studyId: string, metadata: OdmMetadata): Promise<Plan> {
  const warnings = [...metadata.warnings];
  const definitions = await db.selectFrom('eventDefinitions').selectAll().where('studyId', '=', studyId).execute();
  const eventMap = new Map(
    (await db.selectFrom('odmStudyEvents').selectAll().where('studyId', '=', studyId).execute()).map((m) => [
      m.studyEventOid,
      m.eventDefinitionId,
    ]),
  );
  const mappedEventIds = new Set(eventMap.values());
  const ids = definitions.map((d) => d.id);
  const slots: SlotDefinitionTable[] =
    ids.length === 0
      ? []
      : await db.selectFrom('slotDefinitions').selectAll().where('eventDefinitionId', 'in', ids).execute();
  const itemMaps =
    ids.length === 0 ? [] : await db.selectFrom('odmItems').selectAll().where('eventDefinitionId', 'in', ids).execute();

  const events: PlannedEvent[] = [];
  const skipped: Plan['skipped'] = [];
  for (const event of metadata.events) {
    if (event.slots.length === 0) {
      skipped.push({ studyEventOid: event.oid, name: event.name });
      continue;
    }
    const mappedId = eventMap.get(event.oid);
    let row: EventDefinitionTable | undefined = definitions.find((d) => d.id === mappedId);
    const mapped = row !== undefined;
    row ??= definitions.find((d) => d.name === event.name && !mappedEventIds.has(d.id));
    let action: OdmEventPreview['action'] = 'create';
    let name = event.name;
    if (row !== undefined) {
      const changed = row.name !== event.name || (row.repeating === 1) !== event.repeating;
      action = !mapped ? 'link' : changed ? 'update' : 'unchanged';
      if (row.name !== event.name && definitions.some((d) => d.id !== row!.id && d.name === event.name)) {
        warnings.push(`${event.oid}: another event is already called "${event.name}"; the name is kept`);
        name = row.name;
      }
    } else if (definitions.some((d) => d.name === event.name)) {
      name = `${event.name} (${event.oid})`.slice(0, 100);
      warnings.push(`${event.oid}: "${event.name}" is taken by another ODM event; created as "${name}"`);
    }
    const existingSlots = row === undefined ? [] : slots.filter((s) => s.eventDefinitionId === row!.id);
    const itemsOfEvent = row === undefined ? [] : itemMaps.filter((m) => m.eventDefinitionId === row!.id);
    const plannedSlots: PlannedSlot[] = event.slots.map((slot) => {
      const mappedSlotId = itemsOfEvent.find((m) => m.itemOid === slot.itemOid)?.slotDefinitionId;
      let slotRow = existingSlots.find((s) => s.id === mappedSlotId);
      const slotMapped = slotRow !== undefined;
      slotRow ??= existingSlots.find(
        (s) => s.label === slot.label && !itemsOfEvent.some((m) => m.slotDefinitionId === s.id),
      );
      let label = slot.label;
      if (slotRow === undefined && existingSlots.some((s) => s.label === label)) {
        label = `${slot.label} (${slot.itemOid})`.slice(0, 100);
        warnings.push(
          `${event.oid}/${slot.itemOid}: slot "${slot.label}" exists for another item; created as "${label}"`,
        );
      }
      const modalitiesNow = slotRow === undefined ? [] : (JSON.parse(slotRow.modalitiesJson) as string[]);
      const slotAction: OdmSlotPreview['action'] =
        slotRow === undefined
          ? 'create'
          : !slotMapped
            ? 'link'
            : slotRow.label !== slot.label || !sameList(modalitiesNow, slot.modalities)
              ? 'update'
              : 'unchanged';
      return { ...slot, label, action: slotAction, slotDefinitionId: slotRow?.id ?? null, mapped: slotMapped };
    });
    events.push({
      studyEventOid: event.oid,
      name,
      repeating: event.repeating,
      action,
      eventDefinitionId: row?.id ?? null,
      mapped,
      slots: plannedSlots,
    });
  }
  return { metadata, events, skipped, warnings };
}

function result(p: Plan, applied: boolean): OdmImportResult {
  return {
    applied,
    studyOid: p.metadata.studyOid,
    studyName: p.metadata.studyName,
    metaDataVersionOid: p.metadata.metaDataVersionOid,
    events: p.events.map((e) => ({
      studyEventOid: e.studyEventOid,
      name: e.name,
      repeating: e.repeating,
      action: e.action,
      slots: e.slots.map((s) => ({
        formOid: s.formOid,
        itemGroupOid: s.itemGroupOid,
        itemOid: s.itemOid,
        label: s.label,
        modalities: s.modalities,
        action: s.action,
      })),
    })),
    skippedEvents: p.skipped,
    warnings: p.warnings,
  };
}

/**
 * Dry run: what importing the ODM document would do, changing nothing.
 *
 * @example
 * const preview = await previewOdm(db, studyId, xmlText); // preview.events[0].action === 'create'
 */
export async function previewOdm(db: Kysely<Database>, studyId: string, xml: string): Promise<OdmImportResult> {
  const parsed = parseOdmXml(xml);
  const metadata = readOdmMetadata(parsed.root);
  metadata.warnings.unshift(...parsed.warnings);
  return result(await plan(db, studyId, metadata), false);
}

/**
 * Imports the ODM document's events and upload slots into a study in one transaction and records
 * the OIDs, so importing the same file again changes nothing ("unchanged" everywhere) and an
 * edited file updates names, labels and modalities in place. Audited as `odm.imported`.
 *
 * @example
 * const outcome = await importOdmMetadata(db, now, actor, studyId, xmlText);
 */
export async function importOdmMetadata(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  studyId: string,
  xml: string,
): Promise<OdmImportResult> {
  const parsed = parseOdmXml(xml);
  const metadata = readOdmMetadata(parsed.root);
  metadata.warnings.unshift(...parsed.warnings);
  return db.transaction().execute(async (trx) => {
    const study = await trx.selectFrom('studies').select('status').where('id', '=', studyId).executeTakeFirst();
    if (study === undefined) throw new ApiError('NOT_FOUND', 'no such study');
    if (study.status === 'locked') throw new ApiError('STUDY_LOCKED');
    const p = await plan(trx, studyId, metadata);
    const last = await trx
      .selectFrom('eventDefinitions')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('studyId', '=', studyId)
      .executeTakeFirst();
    let position = last?.max == null ? 0 : Number(last.max) + 1;
    const counts = { eventsCreated: 0, eventsUpdated: 0, slotsCreated: 0, slotsUpdated: 0 };
    for (const event of p.events) {
      let eventId = event.eventDefinitionId;
      if (eventId === null) {
        eventId = randomUUID();
        await trx
          .insertInto('eventDefinitions')
          .values({ id: eventId, studyId, name: event.name, repeating: event.repeating ? 1 : 0, position: position++ })
          .execute();
        counts.eventsCreated++;
      } else if (event.action === 'update') {
        await trx
          .updateTable('eventDefinitions')
          .set({ name: event.name, repeating: event.repeating ? 1 : 0 })
          .where('id', '=', eventId)
          .execute();
        counts.eventsUpdated++;
      }
      if (!event.mapped) {
        await trx
          .insertInto('odmStudyEvents')
          .values({ eventDefinitionId: eventId, studyId, studyEventOid: event.studyEventOid })
          .execute();
      }
      let slotPosition = 0;
      const lastSlot = await trx
        .selectFrom('slotDefinitions')
        .select((eb) => eb.fn.max('position').as('max'))
        .where('eventDefinitionId', '=', eventId)
        .executeTakeFirst();
      slotPosition = lastSlot?.max == null ? 0 : Number(lastSlot.max) + 1;
      for (const slot of event.slots) {
        let slotId = slot.slotDefinitionId;
        if (slotId === null) {
          slotId = randomUUID();
          await trx
            .insertInto('slotDefinitions')
            .values({
              id: slotId,
              eventDefinitionId: eventId,
              label: slot.label,
              modalitiesJson: JSON.stringify(slot.modalities),
              position: slotPosition++,
            })
            .execute();
          counts.slotsCreated++;
        } else if (slot.action === 'update') {
          await trx
            .updateTable('slotDefinitions')
            .set({ label: slot.label, modalitiesJson: JSON.stringify(slot.modalities) })
            .where('id', '=', slotId)
            .execute();
          counts.slotsUpdated++;
        }
        if (slot.mapped) {
          await trx
            .updateTable('odmItems')
            .set({ formOid: slot.formOid, itemGroupOid: slot.itemGroupOid })
            .where('slotDefinitionId', '=', slotId)
            .execute();
        } else {
          await trx
            .insertInto('odmItems')
            .values({
              slotDefinitionId: slotId,
              eventDefinitionId: eventId,
              formOid: slot.formOid,
              itemGroupOid: slot.itemGroupOid,
              itemOid: slot.itemOid,
            })
            .execute();
        }
      }
    }
    const odmStudy = {
      studyOid: metadata.studyOid,
      metadataVersionOid: metadata.metaDataVersionOid,
      importedAt: now.toISOString(),
    };
    const known = await trx
      .selectFrom('odmStudies')
      .select('studyId')
      .where('studyId', '=', studyId)
      .executeTakeFirst();
    if (known === undefined)
      await trx
        .insertInto('odmStudies')
        .values({ studyId, ...odmStudy })
        .execute();
    else await trx.updateTable('odmStudies').set(odmStudy).where('studyId', '=', studyId).execute();
    await appendAudit(trx, now, actor, {
      action: 'odm.imported',
      studyId,
      targetType: 'study',
      targetId: studyId,
      details: { studyOid: metadata.studyOid, metaDataVersionOid: metadata.metaDataVersionOid, ...counts },
    });
    return result(p, true);
  });
}
