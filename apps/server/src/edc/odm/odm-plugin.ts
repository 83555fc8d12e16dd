import { ApiError, exportOdmClinicalData, importOdm, previewOdmImport } from '@courier/api';
import type { FastifyInstance } from 'fastify';
import { loadStudyAccess, requireCapability, siteScope } from '../../access/study-access.js';
import { appendAudit } from '../../audit/audit-log.js';
import { actorOf } from '../../auth/principal.js';
import type { AppContext } from '../../context.js';
import { route } from '../../http/route.js';
import { exportClinicalData } from './odm-export.js';
import { importOdmMetadata, previewOdm } from './odm-import.js';

/** JSON-escaped ODM of the largest accepted size (ODM_MAX_CHARS), with room for escapes. */
const ODM_BODY_LIMIT = 12 * 1024 * 1024;

/**
 * CDISC ODM 1.3: preview and import of study metadata into event and slot definitions (study
 * set-up), export of the slot values as ClinicalData (any member, for the sites they see).
 *
 * @example
 * await app.register(odmPlugin, { context, version: SERVER_VERSION });
 */
export async function odmPlugin(
  app: FastifyInstance,
  options: { context: AppContext; version: string },
): Promise<void> {
  const { context, version } = options;
  const { db } = context;

  route(
    app,
    context,
    previewOdmImport,
    async (principal, { params, body }) => {
      requireCapability(await loadStudyAccess(db, principal, params.studyId), 'setUp');
      return previewOdm(db, params.studyId, body.odm);
    },
    { bodyLimit: ODM_BODY_LIMIT },
  );

  route(
    app,
    context,
    importOdm,
    async (principal, { params, body }) => {
      requireCapability(await loadStudyAccess(db, principal, params.studyId), 'setUp');
      return importOdmMetadata(db, context.clock(), actorOf(principal), params.studyId, body.odm);
    },
    { bodyLimit: ODM_BODY_LIMIT },
  );

  route(app, context, exportOdmClinicalData, async (principal, { params, reply }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    // Every member sees some sites: the export holds the subjects of those (all, for study-wide roles).
    const sites = siteScope(access, 'view');
    if (sites !== 'all' && sites.length === 0) throw new ApiError('FORBIDDEN', 'no site of this study is visible');
    const now = context.clock();
    const exported = await exportClinicalData(db, params.studyId, sites, now, version);
    await appendAudit(db, now, actorOf(principal), {
      action: 'odm.exported',
      studyId: params.studyId,
      targetType: 'study',
      targetId: params.studyId,
      details: { values: exported.rows, sites: sites === 'all' ? 'all' : sites.length },
    });
    reply.type('application/xml; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${exported.fileName}"`);
    return exported.xml;
  });
}
