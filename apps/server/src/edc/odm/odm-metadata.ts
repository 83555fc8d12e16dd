import { attribute, children, odmProblem, translatedText, type XmlNode } from './odm-xml.js';

/** An upload slot found in the metadata. */
export interface OdmSlotDef {
  formOid: string;
  itemGroupOid: string;
  itemOid: string;
  label: string;
  modalities: string[];
}

/** A StudyEventDef and the upload slots reachable from it (FormRef → ItemGroupRef → ItemRef). */
export interface OdmEventDef {
  oid: string;
  name: string;
  repeating: boolean;
  slots: OdmSlotDef[];
}

/** What Courier takes from an ODM Study/MetaDataVersion. */
export interface OdmMetadata {
  studyOid: string;
  studyName: string;
  metaDataVersionOid: string;
  /** In Protocol order (StudyEventRef OrderNumber, else document order). */
  events: OdmEventDef[];
  warnings: string[];
}

/** The Alias that marks an ItemDef as an upload slot (see README.md in this folder). */
export const SLOT_ALIAS = { context: 'Courier', name: 'dicom-slot' } as const;
/** The Alias context whose Name lists the expected modalities, e.g. `CT` or `RTPLAN RTDOSE`. */
export const MODALITIES_ALIAS_CONTEXT = 'Courier:modalities';

const MODALITY = /^[A-Z0-9_]{1,16}$/;

/**
 * The naming rule for ItemDefs without the alias: OID or Name contains "DICOM" or
 * "StudyInstanceUID" (case and separators ignored: `I_RT_STUDY_INSTANCE_UID`, `dicom_ct`).
 *
 * @example
 * isSlotByName('I_PLAN_CT_STUDYINSTANCEUID', 'CT_UID'); // true
 */
export function isSlotByName(oid: string, name: string): boolean {
  return [oid, name].some((text) => {
    const squashed = text.toUpperCase().replace(/[^A-Z0-9]/g, '');
    return squashed.includes('DICOM') || squashed.includes('STUDYINSTANCEUID');
  });
}

function indexByOid(nodes: XmlNode[]): Map<string, XmlNode> {
  const map = new Map<string, XmlNode>();
  for (const node of nodes) {
    const oid = attribute(node, 'OID');
    if (oid !== undefined && !map.has(oid)) map.set(oid, node);
  }
  return map;
}

function refs(node: XmlNode, element: string, key: string): string[] {
  return children(node, element)
    .map((ref, index) => ({
      oid: attribute(ref, key),
      order: Number(attribute(ref, 'OrderNumber') ?? Number.NaN),
      index,
    }))
    .filter((ref): ref is { oid: string; order: number; index: number } => ref.oid !== undefined)
    .sort((a, b) =>
      Number.isNaN(a.order) || Number.isNaN(b.order) ? a.index - b.index : a.order - b.order || a.index - b.index,
    )
    .map((ref) => ref.oid);
}

function resolve(map: Map<string, XmlNode>, oid: string, what: string, from: string): XmlNode {
  const node = map.get(oid);
  if (node === undefined) throw odmProblem('ODM_BROKEN_REF', `${from} refers to ${what} ${oid}`);
  return node;
}

function slotOf(item: XmlNode, warnings: string[]): Omit<OdmSlotDef, 'formOid' | 'itemGroupOid'> | null {
  const oid = attribute(item, 'OID')!;
  const name = attribute(item, 'Name') ?? oid;
  const aliases = children(item, 'Alias').map((a) => ({
    context: attribute(a, 'Context'),
    name: attribute(a, 'Name'),
  }));
  const marked = aliases.some((a) => a.context === SLOT_ALIAS.context && a.name === SLOT_ALIAS.name);
  if (!marked && !isSlotByName(oid, name)) return null;
  const modalities: string[] = [];
  for (const alias of aliases.filter((a) => a.context === MODALITIES_ALIAS_CONTEXT)) {
    for (const term of (alias.name ?? '').split(/[\s,;]+/).filter(Boolean)) {
      const upper = term.toUpperCase();
      if (MODALITY.test(upper)) {
        if (!modalities.includes(upper)) modalities.push(upper);
      } else warnings.push(`ItemDef ${oid}: modality "${term}" is not a DICOM defined term; ignored`);
    }
  }
  // The label users see: the question as the CRF shows it, else the description, the comment,
  // the name (OpenClinica fills Comment with the item's description).
  const label = (
    translatedText(item, 'Question') ??
    translatedText(item, 'Description') ??
    attribute(item, 'Comment') ??
    name
  )
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
  return { itemOid: oid, label, modalities };
}

/**
 * Reads the upload-relevant metadata of an ODM document: the first Study's first
 * MetaDataVersion, its StudyEventDefs in Protocol order and, through FormRef → FormDef →
 * ItemGroupRef → ItemGroupDef → ItemRef → ItemDef (ODM 1.3.2 §3.1.1.3–3.1.1.7), the ItemDefs that
 * are upload slots. Vendor extensions (OpenClinica:…) are ignored; an undefined ref is an error.
 *
 * @example
 * const metadata = readOdmMetadata(parseOdmXml(text).root);
 */
export function readOdmMetadata(root: XmlNode): OdmMetadata {
  const warnings: string[] = [];
  const studies = children(root, 'Study').filter((study) => children(study, 'MetaDataVersion').length > 0);
  const study = studies[0];
  if (study === undefined) throw odmProblem('ODM_NO_STUDY');
  if (studies.length > 1)
    warnings.push(`${studies.length} studies in the document: only ${attribute(study, 'OID')} is read`);
  const versions = children(study, 'MetaDataVersion');
  const version = versions[0]!;
  if (versions.length > 1) {
    warnings.push(`${versions.length} MetaDataVersions: only ${attribute(version, 'OID')} is read`);
  }
  const studyOid = attribute(study, 'OID') ?? '';
  const studyName = children(study, 'GlobalVariables')
    .flatMap((g) => (Array.isArray(g.StudyName) ? g.StudyName : []))
    .find((n): n is string => typeof n === 'string');
  const eventDefs = indexByOid(children(version, 'StudyEventDef'));
  const formDefs = indexByOid(children(version, 'FormDef'));
  const groupDefs = indexByOid(children(version, 'ItemGroupDef'));
  const itemDefs = indexByOid(children(version, 'ItemDef'));

  const protocolOrder = children(version, 'Protocol').flatMap((p) => refs(p, 'StudyEventRef', 'StudyEventOID'));
  const order = protocolOrder.length > 0 ? protocolOrder : [...eventDefs.keys()];
  const events: OdmEventDef[] = [];
  for (const eventOid of new Set(order)) {
    const eventDef = resolve(eventDefs, eventOid, 'StudyEventDef', 'Protocol');
    const slots: OdmSlotDef[] = [];
    for (const formOid of refs(eventDef, 'FormRef', 'FormOID')) {
      const formDef = resolve(formDefs, formOid, 'FormDef', `StudyEventDef ${eventOid}`);
      for (const groupOid of refs(formDef, 'ItemGroupRef', 'ItemGroupOID')) {
        const groupDef = resolve(groupDefs, groupOid, 'ItemGroupDef', `FormDef ${formOid}`);
        for (const itemOid of refs(groupDef, 'ItemRef', 'ItemOID')) {
          const itemDef = resolve(itemDefs, itemOid, 'ItemDef', `ItemGroupDef ${groupOid}`);
          const slot = slotOf(itemDef, warnings);
          if (slot === null || slots.some((s) => s.itemOid === slot.itemOid)) continue;
          slots.push({ formOid, itemGroupOid: groupOid, ...slot });
        }
      }
    }
    // Slot labels are unique per event in Courier: a repeated label gets its OID appended.
    for (const slot of slots) {
      if (slots.filter((s) => s.label === slot.label).length > 1) {
        warnings.push(`${eventOid}: label "${slot.label}" is used twice; ${slot.itemOid} is added to it`);
        slot.label = `${slot.label} (${slot.itemOid})`.slice(0, 100);
      }
    }
    events.push({
      oid: eventOid,
      name: (attribute(eventDef, 'Name') ?? eventOid).trim().slice(0, 100),
      repeating: attribute(eventDef, 'Repeating') === 'Yes',
      slots,
    });
  }
  return {
    studyOid,
    studyName: studyName ?? studyOid,
    metaDataVersionOid: attribute(version, 'OID') ?? '',
    events,
    warnings,
  };
}
