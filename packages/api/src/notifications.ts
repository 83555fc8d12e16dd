import { z } from 'zod';
import { Id, IsoDateTime, type Page, PageQueryShape, pageOf, type StudyParams, StudyParamsSchema } from './common.js';
import type { Endpoint } from './endpoint.js';

/**
 * What a study's imaging contacts can be mailed about: a study assigned to an empty slot, a
 * filled slot overwritten, an upload that failed for good (its session ended without a commit
 * after instances had arrived).
 */
export const NOTIFICATION_KINDS: readonly ['slot.assigned', 'slot.overwritten', 'upload.failed'] = [
  'slot.assigned',
  'slot.overwritten',
  'upload.failed',
];
/** One of {@link NOTIFICATION_KINDS}. */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** An e-mail address (RFC 5321 mailbox, length-limited; display names are not accepted). */
export const MailAddress: z.ZodType<string, string> = z.email().max(254);

/** A study's mail notifications. Off unless a study manager switches them on. */
export interface NotificationSettings {
  studyId: string;
  enabled: boolean;
  /** The study's imaging contacts. */
  recipients: string[];
  /** Which events are mailed. */
  kinds: NotificationKind[];
  /** Also mail the user who uploaded (to the address of their account, when they gave one). */
  notifyUploader: boolean;
  /** Null while never saved (the defaults). */
  updatedAt: string | null;
}
/** Schema of {@link NotificationSettings}. */
export const NotificationSettingsSchema: z.ZodType<NotificationSettings> = z.object({
  studyId: Id,
  enabled: z.boolean(),
  recipients: z.array(MailAddress),
  kinds: z.array(z.enum(NOTIFICATION_KINDS)),
  notifyUploader: z.boolean(),
  updatedAt: IsoDateTime.nullable(),
});

/** Body of `PUT /api/studies/:studyId/notification-settings` (the whole settings). */
export interface UpdateNotificationSettingsRequest {
  enabled: boolean;
  recipients: string[];
  kinds: NotificationKind[];
  notifyUploader: boolean;
}
/** Schema of {@link UpdateNotificationSettingsRequest}. */
export const UpdateNotificationSettingsRequestSchema: z.ZodType<UpdateNotificationSettingsRequest> = z.object({
  enabled: z.boolean(),
  recipients: z.array(z.string().trim().toLowerCase().pipe(MailAddress)).max(50),
  kinds: z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length),
  notifyUploader: z.boolean(),
});

/** One mail of the outbox as an admin sees it (no body: the subject line says what it is). */
export interface OutboxMail {
  id: string;
  kind: NotificationKind;
  recipient: string;
  subject: string;
  /** pending: waiting for (another) attempt; sending: claimed by a sender; sent; failed: gave up. */
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}
/** Schema of {@link OutboxMail}. */
export const OutboxMailSchema: z.ZodType<OutboxMail> = z.object({
  id: Id,
  kind: z.enum(NOTIFICATION_KINDS),
  recipient: z.string(),
  subject: z.string(),
  status: z.enum(['pending', 'sending', 'sent', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: IsoDateTime,
  lastError: z.string().nullable(),
  createdAt: IsoDateTime,
  sentAt: IsoDateTime.nullable(),
});

/** Query of the outbox, newest first. */
export interface OutboxQuery {
  status?: OutboxMail['status'] | undefined;
  offset: number;
  limit: number;
}
/** Schema of {@link OutboxQuery}. */
export const OutboxQuerySchema: z.ZodType<OutboxQuery> = z.object({
  status: z.enum(['pending', 'sending', 'sent', 'failed']).optional(),
  ...PageQueryShape,
});

/** The address the caller's own notifications go to. */
export interface MailAddressSetting {
  email: string | null;
}
/** Schema of {@link MailAddressSetting}; `null` removes the address. */
export const MailAddressSettingSchema: z.ZodType<MailAddressSetting> = z.object({
  email: z.string().trim().toLowerCase().pipe(MailAddress).nullable(),
});

/** Read a study's notification settings. */
export const getNotificationSettings: Endpoint<StudyParams, unknown, unknown, NotificationSettings> = {
  id: 'getNotificationSettings',
  method: 'GET',
  path: '/api/studies/:studyId/notification-settings',
  tag: 'admin',
  summary: 'Mail notification settings of a study (off by default)',
  permission: 'study admins and study managers',
  authenticated: true,
  params: StudyParamsSchema,
  response: NotificationSettingsSchema,
  status: 200,
};

/** Replace a study's notification settings. */
export const updateNotificationSettings: Endpoint<
  StudyParams,
  unknown,
  UpdateNotificationSettingsRequest,
  NotificationSettings
> = {
  id: 'updateNotificationSettings',
  method: 'PUT',
  path: '/api/studies/:studyId/notification-settings',
  tag: 'admin',
  summary: 'Set who is mailed about which upload events of a study',
  permission: 'study admins and study managers',
  authenticated: true,
  params: StudyParamsSchema,
  body: UpdateNotificationSettingsRequestSchema,
  response: NotificationSettingsSchema,
  status: 200,
};

/** The mail outbox of a study. */
export const listMailOutbox: Endpoint<StudyParams, OutboxQuery, unknown, Page<OutboxMail>> = {
  id: 'listMailOutbox',
  method: 'GET',
  path: '/api/studies/:studyId/mail-outbox',
  tag: 'admin',
  summary: 'Mails of a study, newest first, with delivery status, attempts and the last error',
  permission: 'study admins and system administrators',
  authenticated: true,
  params: StudyParamsSchema,
  query: OutboxQuerySchema,
  response: pageOf(OutboxMailSchema),
  status: 200,
};

/** The caller's notification address. */
export const getMyMailAddress: Endpoint<unknown, unknown, unknown, MailAddressSetting> = {
  id: 'getMyMailAddress',
  method: 'GET',
  path: '/api/me/mail-address',
  tag: 'auth',
  summary: 'The address the caller’s own upload notifications go to',
  permission: 'any authenticated user',
  authenticated: true,
  response: MailAddressSettingSchema,
  status: 200,
};

/** Set or remove the caller's notification address. */
export const setMyMailAddress: Endpoint<unknown, unknown, MailAddressSetting, MailAddressSetting> = {
  id: 'setMyMailAddress',
  method: 'PUT',
  path: '/api/me/mail-address',
  tag: 'auth',
  summary: 'Set (or with null remove) the address of the caller’s own upload notifications',
  permission: 'any authenticated user',
  authenticated: true,
  body: MailAddressSettingSchema,
  response: MailAddressSettingSchema,
  status: 200,
};
