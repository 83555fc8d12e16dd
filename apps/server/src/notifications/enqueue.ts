import { randomUUID } from 'node:crypto';
import type { NotificationKind } from '@courier/api';
import type { Kysely } from 'kysely';
import type { ServerConfig } from '../config.js';
import type { Database, UploadSessionTable } from '../database/schema.js';
import { renderUploadMail, type UploadMailFacts } from './mail-content.js';
import { toNotificationSettings } from './settings-service.js';

/** What the commit knows about the change it makes, for {@link enqueueUploadMail}. */
export interface UploadMailInput {
  kind: NotificationKind;
  upload: UploadSessionTable;
  studyInstanceUid: string | null;
  previousStudyInstanceUid: string | null;
  seriesCount: number;
  instanceCount: number;
  /** For failures: how many instances the manifest listed. */
  expectedInstances?: number | null;
}

/** The Portal page of a subject's event, DICOM tab (identifiers only, as the web app's URL holds them). */
export function portalLink(publicUrl: string, subjectId: string, eventId: string): string {
  const query = new URLSearchParams({ tab: 'dicom', subject: subjectId, event: eventId });
  return `${publicUrl}/pacs/subjects?${query.toString()}`;
}

async function recipientsFor(
  db: Kysely<Database>,
  studyId: string,
  kind: NotificationKind,
  uploaderEmail: string | null,
): Promise<string[]> {
  const row = await db.selectFrom('notificationSettings').selectAll().where('studyId', '=', studyId).executeTakeFirst();
  if (row === undefined) return [];
  const settings = toNotificationSettings(row);
  if (!settings.enabled || !settings.kinds.includes(kind)) return [];
  const list = [...settings.recipients];
  if (settings.notifyUploader && uploaderEmail !== null) list.push(uploaderEmail);
  return [...new Set(list.map((address) => address.toLowerCase()))];
}

/**
 * Queues the notification of an upload event in the outbox, one row per recipient, using the
 * caller's transaction: called inside the commit's transaction, the mail exists exactly when the
 * slot assignment does (a rolled-back commit queues nothing, a committed one cannot lose its
 * mail). Does nothing while the study's notifications are off or the kind is not selected. The
 * dedupe key makes a second call for the same event and recipient a no-op.
 *
 * @example
 * await enqueueUploadMail(trx, config, now, { kind: 'slot.assigned', upload: row, studyInstanceUid, previousStudyInstanceUid: null, seriesCount: 4, instanceCount: 9 });
 */
export async function enqueueUploadMail(
  db: Kysely<Database>,
  config: ServerConfig,
  now: Date,
  input: UploadMailInput,
): Promise<number> {
  const { upload } = input;
  const facts = await db
    .selectFrom('subjects as subject')
    .innerJoin('studies as study', 'study.id', 'subject.studyId')
    .innerJoin('sites as site', 'site.id', 'subject.siteId')
    .innerJoin('scheduledEvents as event', (join) =>
      join.on('event.id', '=', upload.scheduledEventId).onRef('event.subjectId', '=', 'subject.id'),
    )
    .innerJoin('eventDefinitions as definition', 'definition.id', 'event.eventDefinitionId')
    .innerJoin('slotDefinitions as slot', (join) => join.on('slot.id', '=', upload.slotDefinitionId))
    .innerJoin('users as uploader', (join) => join.on('uploader.id', '=', upload.createdBy))
    // Only organisational and pseudonymous columns are selected: never subject.birthDate.
    .select([
      'study.identifier',
      'study.name as studyName',
      'site.code as siteCode',
      'site.name as siteName',
      'subject.pseudonym',
      'definition.name as eventName',
      'definition.repeating',
      'event.occurrence',
      'slot.label as slotLabel',
      'uploader.displayName',
      'uploader.username',
      'uploader.email',
    ])
    .where('subject.id', '=', upload.subjectId)
    .executeTakeFirst();
  if (facts === undefined) return 0;
  const recipients = await recipientsFor(db, upload.studyId, input.kind, facts.email ?? null);
  if (recipients.length === 0) return 0;
  const mail = renderUploadMail({
    kind: input.kind,
    studyIdentifier: facts.identifier,
    studyName: facts.studyName,
    siteCode: facts.siteCode,
    siteName: facts.siteName,
    pseudonym: facts.pseudonym,
    eventName: facts.eventName,
    occurrence: facts.occurrence,
    repeating: facts.repeating === 1,
    slotLabel: facts.slotLabel,
    studyInstanceUid: input.studyInstanceUid,
    previousStudyInstanceUid: input.previousStudyInstanceUid,
    seriesCount: input.seriesCount,
    instanceCount: input.instanceCount,
    expectedInstances: input.expectedInstances ?? null,
    uploaderName: facts.displayName,
    uploaderUsername: facts.username,
    at: now.toISOString(),
    link: portalLink(config.publicUrl, upload.subjectId, upload.scheduledEventId),
  } satisfies UploadMailFacts);
  const at = now.toISOString();
  let queued = 0;
  for (const recipient of recipients) {
    const result = await db
      .insertInto('mailOutbox')
      .values({
        id: randomUUID(),
        studyId: upload.studyId,
        kind: input.kind,
        uploadId: upload.id,
        dedupeKey: `${input.kind}:${upload.id}:${recipient}`,
        recipient,
        subject: mail.subject,
        textBody: mail.text,
        htmlBody: mail.html,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        leaseOwner: null,
        leaseUntil: null,
        lastError: null,
        createdAt: at,
        sentAt: null,
      })
      .onConflict((conflict) => conflict.column('dedupeKey').doNothing())
      .executeTakeFirst();
    queued += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return queued;
}

const FAILURE_HORIZON_MS = 7 * 24 * 3_600_000;

/**
 * Queues "upload failed" mails for upload sessions that failed for good: ended (expired or
 * failed) without a commit after at least one instance had arrived, in a study whose failure
 * mails are on, and ended after they were switched on. A session nobody sent anything to is an
 * abandoned click, not a failure, and is not mailed. Safe to run in several Portals at once: the
 * outbox's unique dedupe key keeps one row per session and recipient.
 *
 * @example
 * const queued = await enqueueFailedUploads(db, config, new Date());
 */
export async function enqueueFailedUploads(db: Kysely<Database>, config: ServerConfig, now: Date): Promise<number> {
  const studies = await db
    .selectFrom('notificationSettings')
    .select(['studyId', 'eventsJson', 'enabledSince'])
    .where('enabled', '=', 1)
    .execute();
  // A week back at most: a session whose mail could not be queued (nobody to mail) is not looked
  // at forever.
  const horizon = new Date(now.getTime() - FAILURE_HORIZON_MS).toISOString();
  let queued = 0;
  for (const study of studies) {
    if (!(JSON.parse(study.eventsJson) as string[]).includes('upload.failed') || study.enabledSince === null) continue;
    const since = [study.enabledSince, horizon].sort()[1]!; // the later instant (ISO text sorts by time)
    const sessions = await db
      .selectFrom('uploadSessions as s')
      .selectAll('s')
      .where('s.studyId', '=', study.studyId)
      .where('s.status', 'in', ['expired', 'failed'])
      .where('s.expiresAt', '>=', since)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('uploadInstances as i')
            .select('i.uploadId')
            .whereRef('i.uploadId', '=', 's.id')
            .where('i.receivedAt', 'is not', null),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('mailOutbox as m')
              .select('m.id')
              .whereRef('m.uploadId', '=', 's.id')
              .where('m.kind', '=', 'upload.failed'),
          ),
        ),
      )
      .limit(100)
      .execute();
    for (const session of sessions) {
      const instances = await db
        .selectFrom('uploadInstances')
        .select(['seriesInstanceUid', 'receivedAt', 'state'])
        .where('uploadId', '=', session.id)
        .execute();
      const received = instances.filter((i) => i.receivedAt !== null && i.state === 'stored');
      queued += await enqueueUploadMail(db, config, now, {
        kind: 'upload.failed',
        upload: session,
        studyInstanceUid: session.studyInstanceUid,
        previousStudyInstanceUid: null,
        seriesCount: new Set(received.map((i) => i.seriesInstanceUid)).size,
        instanceCount: received.length,
        expectedInstances: instances.length,
      });
    }
  }
  return queued;
}
