import type { DeidConfig, Site, SlotDefinition, SlotValue, Study, Subject, UserSummary } from '@courier/api';
import type { SiteTable, SlotDefinitionTable, StudyTable, SubjectTable, UserTable } from '../database/schema.js';

// Row → API shape. The API types are the contract; rows keep storage details (JSON text, 0/1
// flags, the UID secret) that never leave the server except where an endpoint says so.

/** @example const body: Study = toStudy(row); */
export function toStudy(row: StudyTable): Study {
  return {
    id: row.id,
    identifier: row.identifier,
    name: row.name,
    sponsor: row.sponsor,
    protocolId: row.protocolId,
    status: row.status,
    deid: JSON.parse(row.deidJson) as DeidConfig,
    dateHandling: row.dateHandling,
    createdAt: row.createdAt,
  };
}

/** @example const body: Site = toSite(row); */
export function toSite(row: SiteTable): Site {
  return { id: row.id, studyId: row.studyId, code: row.code, name: row.name };
}

/** @example const body: Subject = toSubject(row); */
export function toSubject(row: SubjectTable): Subject {
  return {
    id: row.id,
    studyId: row.studyId,
    siteId: row.siteId,
    label: row.label,
    pseudonym: row.pseudonym,
    sex: row.sex,
    birthDate: row.birthDate,
    birthYear: row.birthYear,
    enrolmentDate: row.enrolmentDate,
    status: row.status,
    createdAt: row.createdAt,
  };
}

/** @example const body: SlotDefinition = toSlotDefinition(row); */
export function toSlotDefinition(row: SlotDefinitionTable): SlotDefinition {
  return {
    id: row.id,
    eventDefinitionId: row.eventDefinitionId,
    label: row.label,
    modalities: JSON.parse(row.modalitiesJson) as string[],
    order: row.position,
  };
}

/** @example const body: UserSummary = toUserSummary(row); */
export function toUserSummary(row: Pick<UserTable, 'id' | 'username' | 'displayName' | 'systemAdmin'>): UserSummary {
  return { id: row.id, username: row.username, displayName: row.displayName, systemAdmin: row.systemAdmin === 1 };
}

/** The columns of a slot's current value (slot_values joined with the assigning user). */
export interface SlotValueRow {
  studyInstanceUid: string | null;
  assignedAt: string | null;
  /** The assigning user's login name. */
  assignedBy: string | null;
  displayName: string | null;
  uploadId: string | null;
  studyDate: string | null;
  valueModalitiesJson: string | null;
  seriesCount: number | string | null;
  instanceCount: number | string | null;
}

/**
 * A slot's current value, or null for an empty slot. Counts come back as strings from some
 * PostgreSQL aggregates, hence Number().
 *
 * @example const value: SlotValue | null = toSlotValue({ ...row, assignedBy: row.username });
 */
export function toSlotValue(row: SlotValueRow): SlotValue | null {
  if (row.studyInstanceUid === null || row.assignedAt === null) return null;
  return {
    studyInstanceUid: row.studyInstanceUid,
    assignedAt: row.assignedAt,
    assignedBy: row.assignedBy ?? 'unknown',
    assignedByName: row.displayName ?? row.assignedBy ?? 'unknown',
    uploadId: row.uploadId,
    studyDate: row.studyDate ?? null,
    modalities: JSON.parse(row.valueModalitiesJson ?? '[]') as string[],
    seriesCount: Number(row.seriesCount ?? 0),
    instanceCount: Number(row.instanceCount ?? 0),
  };
}
