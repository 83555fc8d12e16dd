import {
  NOTIFICATION_KINDS,
  type NotificationKind,
  type NotificationSettings,
  type UpdateNotificationSettingsRequest,
} from '@courier/api';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { Actor } from '../context.js';
import type { Database, NotificationSettingsTable } from '../database/schema.js';

/**
 * The settings of a study without a row: off, nobody, every kind preselected for when a manager
 * switches them on, the uploader included (issue 10: off by default, also for the demo).
 */
export function defaultSettings(studyId: string): NotificationSettings {
  return {
    studyId,
    enabled: false,
    recipients: [],
    kinds: [...NOTIFICATION_KINDS],
    notifyUploader: true,
    updatedAt: null,
  };
}

/** @example const settings: NotificationSettings = toNotificationSettings(row); */
export function toNotificationSettings(row: NotificationSettingsTable): NotificationSettings {
  return {
    studyId: row.studyId,
    enabled: row.enabled === 1,
    recipients: JSON.parse(row.recipientsJson) as string[],
    kinds: JSON.parse(row.eventsJson) as NotificationKind[],
    notifyUploader: row.notifyUploader === 1,
    updatedAt: row.updatedAt,
  };
}

/**
 * A study's notification settings (the defaults when never saved).
 *
 * @example
 * const { enabled, recipients } = await getSettings(db, studyId);
 */
export async function getSettings(db: Kysely<Database>, studyId: string): Promise<NotificationSettings> {
  const row = await db.selectFrom('notificationSettings').selectAll().where('studyId', '=', studyId).executeTakeFirst();
  return row === undefined ? defaultSettings(studyId) : toNotificationSettings(row);
}

/** The stored row with `enabledSince`, or undefined. */
export async function getSettingsRow(
  db: Kysely<Database>,
  studyId: string,
): Promise<NotificationSettingsTable | undefined> {
  return db.selectFrom('notificationSettings').selectAll().where('studyId', '=', studyId).executeTakeFirst();
}

/**
 * Replaces a study's settings and audits the change. Switching them on records `enabledSince`,
 * so the failed-upload scan does not mail about sessions that ended while they were off.
 *
 * @example
 * await updateSettings(db, now, actor, studyId, { enabled: true, recipients: ['imaging@example.org'], kinds: ['slot.assigned'], notifyUploader: false });
 */
export async function updateSettings(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  studyId: string,
  input: UpdateNotificationSettingsRequest,
): Promise<NotificationSettings> {
  return db.transaction().execute(async (trx) => {
    const before = await getSettingsRow(trx, studyId);
    const at = now.toISOString();
    const wasOn = before?.enabled === 1;
    const row: NotificationSettingsTable = {
      studyId,
      enabled: input.enabled ? 1 : 0,
      recipientsJson: JSON.stringify([...new Set(input.recipients)]),
      eventsJson: JSON.stringify(NOTIFICATION_KINDS.filter((kind) => input.kinds.includes(kind))),
      notifyUploader: input.notifyUploader ? 1 : 0,
      enabledSince: input.enabled ? (wasOn ? (before?.enabledSince ?? at) : at) : null,
      updatedAt: at,
      updatedBy: actor.userId,
    };
    if (before === undefined) await trx.insertInto('notificationSettings').values(row).execute();
    else await trx.updateTable('notificationSettings').set(row).where('studyId', '=', studyId).execute();
    const settings = toNotificationSettings(row);
    await appendAudit(trx, now, actor, {
      action: 'notifications.updated',
      studyId,
      targetType: 'study',
      targetId: studyId,
      details: {
        enabled: settings.enabled,
        recipients: settings.recipients.length,
        kinds: settings.kinds,
        notifyUploader: settings.notifyUploader,
      },
    });
    return settings;
  });
}

/**
 * Sets (or with null removes) the address of a user's own notifications.
 *
 * @example
 * await setMailAddress(db, now, actor, userId, 'me@example.org');
 */
export async function setMailAddress(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  userId: string,
  email: string | null,
): Promise<{ email: string | null }> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ email }).where('id', '=', userId).execute();
    await appendAudit(trx, now, actor, {
      action: 'user.mail_address_set',
      targetType: 'user',
      targetId: userId,
      details: { set: email !== null },
    });
  });
  return { email };
}
