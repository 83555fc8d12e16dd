import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureStudy, FIXTURE_PASSWORD, fixtureUsername } from '../../test/fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from '../../test/portal-harness.js';
import { TEST_BACKEND } from '../../test/test-database.js';
import { tokenHash } from './secret-token.js';

describe(`session lifetime on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  const monitor = fixtureUsername('monitor');

  beforeAll(async () => {
    // A 2-hour absolute lifetime with the default 30-minute idle timeout.
    portal = await startPortal({ sessionMaxMs: 2 * 3_600_000 });
    await createFixtureStudy(portal);
  });
  afterAll(async () => portal?.stop());

  it('ends an active session at its absolute lifetime with 401 SESSION_EXPIRED, reason max-age; a new login works', async () => {
    const client = new TestClient(portal.baseUrl);
    await client.login(monitor, FIXTURE_PASSWORD);
    // Active every 20 minutes for 1 h 40 min: the idle timeout never strikes.
    for (let minutes = 20; minutes <= 100; minutes += 20) {
      portal.clock.advance(20 * 60_000);
      expect((await client.get('/api/me')).status, `after ${minutes} min`).toBe(200);
    }
    // Twenty more minutes reach two hours since login, however active the session was.
    portal.clock.advance(20 * 60_000);
    const ended = await client.get('/api/me');
    expect([ended.status, ended.body.code, ended.body.details]).toEqual([
      401,
      'SESSION_EXPIRED',
      { reason: 'max-age' },
    ]);
    // The row is gone: asking again reports a session that ended.
    expect((await client.get('/api/me')).body.details).toEqual({ reason: 'ended' });
    await client.login(monitor, FIXTURE_PASSWORD);
    expect((await client.get('/api/me')).status).toBe(200);
  });

  it('never extends the idle expiry past the absolute end of the session', async () => {
    const client = new TestClient(portal.baseUrl);
    await client.login(monitor, FIXTURE_PASSWORD);
    const loggedInAt = portal.clock().getTime();
    for (const step of [20, 20, 20, 20, 20, 10]) {
      portal.clock.advance(step * 60_000);
      expect((await client.get('/api/me')).status).toBe(200);
    }
    const id = tokenHash(decodeURIComponent(client.cookies.get('courier_session')!));
    const row = await portal.context.db
      .selectFrom('sessions')
      .select('expiresAt')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    // At 1 h 50 min, idle would allow until 2 h 20 min; the session ends at 2 h.
    expect(Date.parse(row.expiresAt)).toBe(loggedInAt + 2 * 3_600_000);
  });

  it('tells an idle expiry apart: reason idle', async () => {
    const client = new TestClient(portal.baseUrl);
    await client.login(monitor, FIXTURE_PASSWORD);
    portal.clock.advance(30 * 60_000 + 1);
    const idle = await client.get('/api/me');
    expect([idle.status, idle.body.code, idle.body.details]).toEqual([401, 'SESSION_EXPIRED', { reason: 'idle' }]);
  });
});
