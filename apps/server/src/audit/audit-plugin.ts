import { ApiError, type AuditEntry, listAudit } from '@courier/api';
import type { FastifyInstance } from 'fastify';
import { loadStudyAccess, requireCapability } from '../access/study-access.js';
import type { AppContext } from '../context.js';
import { countValue } from '../database/dialect.js';
import { route } from '../http/route.js';

/**
 * Read access to the audit log: a study's entries for its admins, everything for system admins.
 *
 * @example
 * await app.register(auditPlugin, { context });
 */
export async function auditPlugin(app: FastifyInstance, options: { context: AppContext }): Promise<void> {
  const { context } = options;
  const { db } = context;

  route(app, context, listAudit, async (principal, { query }) => {
    if (query.studyId === undefined) {
      if (!principal.systemAdmin) throw new ApiError('FORBIDDEN', 'name a study (studyId) you administer');
    } else {
      requireCapability(await loadStudyAccess(db, principal, query.studyId), 'administer');
    }
    let base = db.selectFrom('auditLog');
    if (query.studyId !== undefined) base = base.where('studyId', '=', query.studyId);
    if (query.action !== undefined) base = base.where('action', '=', query.action);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base.selectAll().orderBy('id', 'desc').offset(query.offset).limit(query.limit).execute();
    const items: AuditEntry[] = rows.map((row) => ({
      id: Number(row.id),
      at: row.at,
      userId: row.userId,
      username: row.username,
      ip: row.ip,
      action: row.action,
      studyId: row.studyId,
      targetType: row.targetType,
      targetId: row.targetId,
      details: JSON.parse(row.detailsJson) as Record<string, unknown>,
    }));
    return { items, total: countValue(total.n), offset: query.offset, limit: query.limit };
  });
}
