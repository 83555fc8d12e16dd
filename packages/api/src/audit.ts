import { z } from 'zod';
import { Id, IsoDateTime, type Page, PageQueryShape, pageOf } from './common.js';
import type { Endpoint } from './endpoint.js';

/** One line of the append-only audit log: who did what, when, from where. */
export interface AuditEntry {
  /** Increasing sequence number. */
  id: number;
  at: string;
  userId: string | null;
  /** The user name as given (also for failed logins of unknown names). */
  username: string | null;
  /** Client address. */
  ip: string | null;
  /** Dotted action name, e.g. `auth.login`, `auth.login_failed`, `subject.enrolled`. */
  action: string;
  studyId: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}
/** Schema of {@link AuditEntry}. */
export const AuditEntrySchema: z.ZodType<AuditEntry> = z.object({
  id: z.number().int(),
  at: IsoDateTime,
  userId: Id.nullable(),
  username: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  studyId: Id.nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

/** Query of the audit log, newest first. */
export interface AuditQuery {
  /** Required unless the caller is a system administrator. */
  studyId?: string | undefined;
  action?: string | undefined;
  offset: number;
  limit: number;
}
/** Schema of {@link AuditQuery}. */
export const AuditQuerySchema: z.ZodType<AuditQuery> = z.object({
  studyId: Id.optional(),
  action: z.string().max(64).optional(),
  ...PageQueryShape,
});

/** Read the audit log. */
export const listAudit: Endpoint<unknown, AuditQuery, unknown, Page<AuditEntry>> = {
  id: 'listAudit',
  method: 'GET',
  path: '/api/audit',
  tag: 'audit',
  summary: 'The audit log, newest first (one study, or everything for system administrators)',
  permission: 'study admins (with studyId) and system administrators',
  authenticated: true,
  query: AuditQuerySchema,
  response: pageOf(AuditEntrySchema),
  status: 200,
};
