import type { Generated } from 'kysely';

// Table types of the Portal database, in camelCase (the CamelCasePlugin maps them to the
// snake_case columns of migrations/). Identifiers are UUID text made by the server and instants are
// ISO 8601 UTC text, so SQLite and PostgreSQL store and compare them the same way; flags are 0/1.

/** Table `studies`. */
export interface StudyTable {
  id: string;
  identifier: string;
  name: string;
  sponsor: string;
  protocolId: string;
  status: 'active' | 'locked';
  /** JSON of DeidConfig. */
  deidJson: string;
  dateHandling: 'remove' | 'keep' | 'shift';
  /** Key of the deterministic UID remapping; handed only to uploaders of this study. */
  uidSecret: string;
  createdAt: string;
}

/** Table `sites`. */
export interface SiteTable {
  id: string;
  studyId: string;
  code: string;
  name: string;
}

/** Table `users`. */
export interface UserTable {
  id: string;
  username: string;
  displayName: string;
  /** `scrypt$N$r$p$salt$hash`, see auth/password.ts. */
  passwordHash: string;
  systemAdmin: number;
  disabled: number;
  createdAt: string;
  /** Where the user's own notifications go (migration 0005), or null. Optional: inserts may omit it. */
  email?: string | null;
}

/** Table `memberships`. */
export interface MembershipTable {
  id: string;
  userId: string;
  studyId: string;
  siteId: string | null;
  role: 'admin' | 'study_manager' | 'site_uploader' | 'monitor';
  createdAt: string;
}

/** Table `subjects`. */
export interface SubjectTable {
  id: string;
  studyId: string;
  siteId: string;
  label: string;
  pseudonym: string;
  sex: 'F' | 'M' | 'O';
  birthDate: string | null;
  birthYear: number;
  enrolmentDate: string;
  status: 'enrolled' | 'withdrawn' | 'completed';
  /** Days added to dates when the study shifts dates (negative). */
  dateOffsetDays: number;
  createdAt: string;
}

/** Table `event_definitions`. */
export interface EventDefinitionTable {
  id: string;
  studyId: string;
  name: string;
  repeating: number;
  position: number;
}

/** Table `slot_definitions`. */
export interface SlotDefinitionTable {
  id: string;
  eventDefinitionId: string;
  label: string;
  /** JSON array of modality defined terms. */
  modalitiesJson: string;
  position: number;
}

/** Table `scheduled_events`. */
export interface ScheduledEventTable {
  id: string;
  subjectId: string;
  eventDefinitionId: string;
  occurrence: number;
  date: string | null;
  status: 'scheduled' | 'completed' | 'skipped';
  createdAt: string;
}

/** Table `slot_values`: the current value of each filled slot. */
export interface SlotValueTable {
  scheduledEventId: string;
  slotDefinitionId: string;
  studyInstanceUid: string;
  assignedAt: string;
  assignedBy: string;
  uploadId: string | null;
  /** YYYY-MM-DD of the stored study (migration 0003), or null. */
  studyDate: Generated<string | null>;
  /** JSON array of the stored instances' modalities. */
  modalitiesJson: Generated<string>;
  seriesCount: Generated<number>;
  instanceCount: Generated<number>;
}

/** Table `slot_history`: every value a slot held before being overwritten. */
export interface SlotHistoryTable {
  id: Generated<number>;
  scheduledEventId: string;
  slotDefinitionId: string;
  studyInstanceUid: string;
  assignedAt: string;
  assignedBy: string;
  uploadId: string | null;
  replacedAt: string;
  replacedBy: string;
  /** How the value left the slot (migration 0004): replaced by an upload or assignment, or cleared. */
  action: Generated<'replaced' | 'cleared'>;
  /** Why (migration 0004): required for a clear, optional for a replacement by assignment. */
  reason: Generated<string | null>;
}

/** Table `sessions`: the id is the SHA-256 of the cookie's token, never the token itself. */
export interface SessionTable {
  id: string;
  userId: string;
  activeStudyId: string | null;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
}

/** Table `api_tokens`: only the SHA-256 of each token is stored. */
export interface ApiTokenTable {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Table `audit_log`: append-only (triggers refuse UPDATE and DELETE). */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  userId: string | null;
  username: string | null;
  ip: string | null;
  action: string;
  studyId: string | null;
  targetType: string | null;
  targetId: string | null;
  detailsJson: string;
}

/** Table `upload_sessions`: one upload into one slot. */
export interface UploadSessionTable {
  id: string;
  studyId: string;
  subjectId: string;
  scheduledEventId: string;
  slotDefinitionId: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  status: 'open' | 'committed' | 'failed' | 'expired';
  /** The de-identified Study Instance UID of the manifest; null until registered. */
  studyInstanceUid: string | null;
}

/** Table `upload_instances`: the manifest of a session and what happened to each instance. */
export interface UploadInstanceTable {
  uploadId: string;
  sopInstanceUid: string;
  sopClassUid: string;
  seriesInstanceUid: string;
  modality: string | null;
  expectedSize: number;
  expectedSha256: string | null;
  state: 'pending' | 'stored' | 'rejected';
  reason: string | null;
  storedSize: number | null;
  storedSha256: string | null;
  receivedAt: string | null;
}

/** Table `stored_studies` (migration 0004): the DICOM studies in the store, per subject. */
export interface StoredStudyTable {
  studyId: string;
  subjectId: string;
  studyInstanceUid: string;
  /** Patient ID (0010,0020) as stored: the subject's pseudonym. */
  patientId: string;
  /** YYYY-MM-DD from Study Date (0008,0020) as stored, or null. */
  studyDate: string | null;
  /** HH:MM:SS from Study Time (0008,0030) as stored, or null. */
  studyTime: string | null;
  /** Study Description (0008,1030) as stored ('' when absent). */
  description: string;
  /** JSON array of the series' modalities, sorted. */
  modalitiesJson: string;
  seriesCount: number;
  instanceCount: number;
  /** The upload that first brought the study (null for one found in a PACS). */
  firstUploadId: string | null;
  lastUploadId: string | null;
  source: 'upload' | 'pacs';
  createdAt: string;
  updatedAt: string;
}

/** Table `stored_series` (migration 0004): the series of a stored study. */
export interface StoredSeriesTable {
  subjectId: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  /** Series Number (0020,0011), or null. */
  seriesNumber: number | null;
  modality: string | null;
  /** Series Description (0008,103E) as stored ('' when absent). */
  description: string;
  instanceCount: number;
  /** YYYY-MM-DD from Series Date (0008,0021), or null. */
  seriesDate: string | null;
  /** HH:MM:SS from Series Time (0008,0031), or null. */
  seriesTime: string | null;
  /** The upload that last brought instances of the series. */
  uploadId: string | null;
}

/** Table `notification_settings` (migration 0005): a study's mail notifications; no row = off. */
export interface NotificationSettingsTable {
  studyId: string;
  enabled: number;
  /** JSON array of addresses: the study's imaging contacts. */
  recipientsJson: string;
  /** JSON array of NotificationKind: which events are mailed. */
  eventsJson: string;
  notifyUploader: number;
  /** When notifications were last switched on: failures of sessions that ended before are not mailed. */
  enabledSince: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

/** Table `mail_outbox` (migration 0005): one mail to one recipient, delivered by the sender loop. */
export interface MailOutboxTable {
  id: string;
  studyId: string;
  kind: 'slot.assigned' | 'slot.overwritten' | 'upload.failed';
  uploadId: string | null;
  /** Unique: the same event is queued once per recipient. */
  dedupeKey: string;
  recipient: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** Table `upload_commits` (migration 0006): the commit job of an upload session, run under a lease. */
export interface UploadCommitTable {
  uploadId: string;
  state: 'queued' | 'storing' | 'verifying' | 'assigning' | 'done' | 'failed';
  overwrite: number;
  /** JSON of the Actor who asked for the commit (the audit records name them). */
  actorJson: string;
  leaseOwner: string | null;
  leaseUntil: string | null;
  attempts: number;
  stored: number;
  total: number;
  /** JSON `{ code, message, details }` of a failed job. */
  errorJson: string | null;
  requestedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** Table `odm_studies` (migration 0005): the ODM Study and MetaDataVersion a study was imported from. */
export interface OdmStudyTable {
  studyId: string;
  studyOid: string;
  metadataVersionOid: string;
  importedAt: string;
}

/** Table `odm_study_events` (migration 0005): StudyEventDef OID of an event definition. */
export interface OdmStudyEventTable {
  eventDefinitionId: string;
  studyId: string;
  studyEventOid: string;
}

/** Table `odm_items` (migration 0005): FormDef / ItemGroupDef / ItemDef OIDs of a slot definition. */
export interface OdmItemTable {
  slotDefinitionId: string;
  eventDefinitionId: string;
  formOid: string;
  itemGroupOid: string;
  itemOid: string;
}

/** The whole database, for `Kysely<Database>`. */
export interface Database {
  studies: StudyTable;
  sites: SiteTable;
  users: UserTable;
  memberships: MembershipTable;
  subjects: SubjectTable;
  eventDefinitions: EventDefinitionTable;
  slotDefinitions: SlotDefinitionTable;
  scheduledEvents: ScheduledEventTable;
  slotValues: SlotValueTable;
  slotHistory: SlotHistoryTable;
  sessions: SessionTable;
  apiTokens: ApiTokenTable;
  auditLog: AuditLogTable;
  uploadSessions: UploadSessionTable;
  uploadInstances: UploadInstanceTable;
  uploadCommits: UploadCommitTable;
  storedStudies: StoredStudyTable;
  storedSeries: StoredSeriesTable;
  notificationSettings: NotificationSettingsTable;
  mailOutbox: MailOutboxTable;
  odmStudies: OdmStudyTable;
  odmStudyEvents: OdmStudyEventTable;
  odmItems: OdmItemTable;
}
