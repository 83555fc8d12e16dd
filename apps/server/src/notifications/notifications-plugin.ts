import {
  getMyMailAddress,
  getNotificationSettings,
  listMailOutbox,
  setMyMailAddress,
  updateNotificationSettings,
} from '@courier/api';
import type { FastifyInstance } from 'fastify';
import { loadStudyAccess, requireCapability } from '../access/study-access.js';
import { actorOf } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import { route } from '../http/route.js';
import { listOutbox } from './outbox-service.js';
import { getSettings, setMailAddress, updateSettings } from './settings-service.js';

/**
 * Mail notifications: a study's settings (study set-up), its outbox (admins) and each user's own
 * notification address.
 *
 * @example
 * await app.register(notificationsPlugin, { context });
 */
export async function notificationsPlugin(app: FastifyInstance, options: { context: AppContext }): Promise<void> {
  const { context } = options;
  const { db } = context;

  route(app, context, getNotificationSettings, async (principal, { params }) => {
    requireCapability(await loadStudyAccess(db, principal, params.studyId), 'setUp');
    return getSettings(db, params.studyId);
  });

  route(app, context, updateNotificationSettings, async (principal, { params, body }) => {
    requireCapability(await loadStudyAccess(db, principal, params.studyId), 'setUp');
    return updateSettings(db, context.clock(), actorOf(principal), params.studyId, body);
  });

  route(app, context, listMailOutbox, async (principal, { params, query }) => {
    requireCapability(await loadStudyAccess(db, principal, params.studyId), 'administer');
    return listOutbox(db, params.studyId, query);
  });

  route(app, context, getMyMailAddress, async (principal) => {
    const row = await db.selectFrom('users').select('email').where('id', '=', principal.userId).executeTakeFirst();
    return { email: row?.email ?? null };
  });

  route(app, context, setMyMailAddress, async (principal, { body }) =>
    setMailAddress(db, context.clock(), actorOf(principal), principal.userId, body.email),
  );
}
