import type { Kysely } from 'kysely';
import type { Database } from '../../database/schema.js';
import { ODM_NAMESPACE } from './odm-xml.js';

/** The namespace of Courier's ODM vendor extension (ODM 1.3.2 §2.6: extensions in their own namespace). */
export const COURIER_ODM_NAMESPACE = 'urn:courier:odm:1';

/** An OID made from a name for definitions that did not come from an ODM import: `Planning CT` → `PLANNING_CT`. */
export function oidPart(text: string): string {
  return (
    text
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 40) || 'X'
  );
}

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
}

/** One exported slot value with the OIDs it is written under. */
export interface ClinicalDataRow {
  subjectLabel: string;
  pseudonym: string;
  studyEventOid: string;
  occurrence: number;
  formOid: string;
  itemGroupOid: string;
  itemOid: string;
  studyInstanceUid: string;
}

/**
 * The slot values of a study (restricted to some sites, or all) with their ODM OIDs: the ones an
 * import recorded, else OIDs derived from the names (SE_…, F_…_DICOM, IG_…_DICOM, I_…), ordered by
 * subject, schedule and slot.
 *
 * @example
 * const rows = await clinicalDataRows(db, studyId, 'all');
 */
export async function clinicalDataRows(
  db: Kysely<Database>,
  studyId: string,
  sites: 'all' | string[],
): Promise<ClinicalDataRow[]> {
  if (sites !== 'all' && sites.length === 0) return [];
  let query = db
    .selectFrom('slotValues as v')
    .innerJoin('scheduledEvents as e', 'e.id', 'v.scheduledEventId')
    .innerJoin('subjects as s', 's.id', 'e.subjectId')
    .innerJoin('eventDefinitions as d', 'd.id', 'e.eventDefinitionId')
    .innerJoin('slotDefinitions as slot', 'slot.id', 'v.slotDefinitionId')
    .leftJoin('odmStudyEvents as oe', 'oe.eventDefinitionId', 'd.id')
    .leftJoin('odmItems as oi', 'oi.slotDefinitionId', 'slot.id')
    .select([
      's.label',
      's.pseudonym',
      'd.name as eventName',
      'e.occurrence',
      'slot.label as slotLabel',
      'v.studyInstanceUid',
      'oe.studyEventOid',
      'oi.formOid',
      'oi.itemGroupOid',
      'oi.itemOid',
    ])
    .where('s.studyId', '=', studyId);
  if (sites !== 'all') query = query.where('s.siteId', 'in', sites);
  const rows = await query
    .orderBy('s.label')
    .orderBy('d.position')
    .orderBy('d.id')
    .orderBy('e.occurrence')
    .orderBy('slot.position')
    .execute();
  const mapped = rows.map((row) => {
    const event = oidPart(row.eventName);
    return {
      subjectLabel: row.label,
      pseudonym: row.pseudonym,
      studyEventOid: row.studyEventOid ?? `SE_${event}`,
      occurrence: row.occurrence,
      formOid: row.formOid ?? `F_${event}_DICOM`,
      itemGroupOid: row.itemGroupOid ?? `IG_${event}_DICOM`,
      itemOid: row.itemOid ?? `I_${oidPart(row.slotLabel)}`,
      studyInstanceUid: row.studyInstanceUid,
    };
  });
  // Within an event, items of one form (and one item group) must sit together: one FormData per
  // FormOID (ODM 1.3.2 §3.2.3). Sorting by where each form and group first appears keeps subjects
  // and events in schedule order, since those are contiguous already.
  const first = new Map<string, number>();
  const keyOf = (r: ClinicalDataRow, depth: 'form' | 'group') =>
    [r.subjectLabel, r.studyEventOid, r.occurrence, r.formOid, depth === 'group' ? r.itemGroupOid : ''].join('\u0000');
  mapped.forEach((r, i) => {
    for (const depth of ['form', 'group'] as const) if (!first.has(keyOf(r, depth))) first.set(keyOf(r, depth), i);
  });
  return mapped
    .map((row, index) => ({ row, index }))
    .sort(
      (a, b) =>
        first.get(keyOf(a.row, 'form'))! - first.get(keyOf(b.row, 'form'))! ||
        first.get(keyOf(a.row, 'group'))! - first.get(keyOf(b.row, 'group'))! ||
        a.index - b.index,
    )
    .map(({ row }) => row);
}

/** What the ODM root and ClinicalData carry besides the rows. */
export interface ClinicalDataHeader {
  studyOid: string;
  metaDataVersionOid: string;
  fileOid: string;
  creationDateTime: string;
  sourceSystemVersion: string;
}

/**
 * Writes an ODM 1.3.2 ClinicalData snapshot (§3.2.1–3.2.6): SubjectData keyed by the study subject
 * label (the pseudonym in Courier's extension attribute), StudyEventData with its repeat key,
 * FormData, ItemGroupData (TransactionType Insert, as OpenClinica's import expects) and one
 * ItemData per slot whose Value is the assigned Study Instance UID.
 *
 * @example
 * const xml = clinicalDataXml(header, rows);
 */
export function clinicalDataXml(header: ClinicalDataHeader, rows: ClinicalDataRow[]): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<ODM xmlns="${ODM_NAMESPACE}" xmlns:courier="${COURIER_ODM_NAMESPACE}"${attrs({
      ODMVersion: '1.3.2',
      FileType: 'Snapshot',
      FileOID: header.fileOid,
      CreationDateTime: header.creationDateTime,
      Originator: 'Courier',
      SourceSystem: 'Courier',
      SourceSystemVersion: header.sourceSystemVersion,
    })}>`,
  );
  out.push(`  <ClinicalData${attrs({ StudyOID: header.studyOid, MetaDataVersionOID: header.metaDataVersionOid })}>`);
  const key = (row: ClinicalDataRow, depth: number) =>
    [row.subjectLabel, `${row.studyEventOid}#${row.occurrence}`, row.formOid, row.itemGroupOid]
      .slice(0, depth)
      .join('\u0000');
  let previous: ClinicalDataRow | undefined;
  const close = (from: number) => {
    const tags = ['    </SubjectData>', '      </StudyEventData>', '        </FormData>', '          </ItemGroupData>'];
    for (let depth = 4; depth > from; depth--) out.push(tags[depth - 1]!);
  };
  for (const row of rows) {
    // The first level at which this row differs from the previous one: close and open from there.
    let level = 0;
    if (previous !== undefined) {
      while (level < 4 && key(previous, level + 1) === key(row, level + 1)) level++;
      close(level);
    }
    if (level < 1)
      out.push(`    <SubjectData${attrs({ SubjectKey: row.subjectLabel, 'courier:Pseudonym': row.pseudonym })}>`);
    if (level < 2) {
      out.push(
        `      <StudyEventData${attrs({ StudyEventOID: row.studyEventOid, StudyEventRepeatKey: row.occurrence })}>`,
      );
    }
    if (level < 3) out.push(`        <FormData${attrs({ FormOID: row.formOid })}>`);
    if (level < 4) {
      out.push(
        `          <ItemGroupData${attrs({ ItemGroupOID: row.itemGroupOid, ItemGroupRepeatKey: 1, TransactionType: 'Insert' })}>`,
      );
    }
    out.push(`            <ItemData${attrs({ ItemOID: row.itemOid, Value: row.studyInstanceUid })}/>`);
    previous = row;
  }
  if (previous !== undefined) close(0);
  out.push('  </ClinicalData>', '</ODM>', '');
  return out.join('\n');
}

/**
 * The ODM ClinicalData export of a study: the OIDs of its last ODM import (else `S_<identifier>`
 * and `v1.0.0`) and every slot value of the given sites.
 *
 * @example
 * const xml = await exportClinicalData(db, studyId, 'all', new Date(), '0.1.0');
 */
export async function exportClinicalData(
  db: Kysely<Database>,
  studyId: string,
  sites: 'all' | string[],
  now: Date,
  version: string,
): Promise<{ xml: string; rows: number; fileName: string }> {
  const study = await db
    .selectFrom('studies')
    .select(['identifier'])
    .where('id', '=', studyId)
    .executeTakeFirstOrThrow();
  const odm = await db.selectFrom('odmStudies').selectAll().where('studyId', '=', studyId).executeTakeFirst();
  const rows = await clinicalDataRows(db, studyId, sites);
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const xml = clinicalDataXml(
    {
      studyOid: odm?.studyOid ?? `S_${oidPart(study.identifier)}`,
      metaDataVersionOid: odm?.metadataVersionOid ?? 'v1.0.0',
      fileOid: `Courier.${oidPart(study.identifier)}.${stamp}`,
      creationDateTime: now.toISOString(),
      sourceSystemVersion: version,
    },
    rows,
  );
  return {
    xml,
    rows: rows.length,
    fileName: `${study.identifier.replace(/[^A-Za-z0-9._-]+/g, '_')}-clinical-data-${stamp}.xml`,
  };
}
