import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../src/auth/secret-token.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

describe(`authentication over loopback on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  const monitor = fixtureUsername('monitor');
  beforeAll(async () => {
    portal = await startPortal({ sessionIdleMs: 10 * 60_000, loginMaxFailures: 3, loginWindowMs: 5 * 60_000 });
    fixture = await createFixtureStudy(portal);
  });
  afterAll(async () => portal.stop());

  it('logs in with the right password and sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const response = await fetch(`${portal.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: monitor, password: FIXTURE_PASSWORD }),
    });
    expect(response.status).toBe(200);
    const cookies = response.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('courier_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toMatch(/Secure/i);
    expect(session).not.toMatch(/Max-Age|Expires/i);
    const csrf = cookies.find((c) => c.startsWith('courier_csrf='))!;
    expect(csrf).not.toMatch(/HttpOnly/i);
    const me = (await response.json()) as { user: { username: string }; activeStudyId: string; csrfToken: string };
    expect(me.user.username).toBe(monitor);
    expect(me.activeStudyId).toBe(fixture.studyId);
    expect(csrf).toContain(me.csrfToken);
  });

  it('stores only the hash of the session token', async () => {
    const client = new TestClient(portal.baseUrl);
    await client.login(monitor, FIXTURE_PASSWORD);
    const token = client.cookies.get('courier_session')!;
    const rows = await portal.context.db.selectFrom('sessions').select('id').execute();
    expect(rows.map((r) => r.id)).toContain(tokenHash(token));
    expect(rows.map((r) => r.id)).not.toContain(token);
  });

  it('refuses a wrong password with INVALID_CREDENTIALS and audits the failure', async () => {
    const client = new TestClient(portal.baseUrl);
    const response = await client.post('/api/auth/login', { username: 'study-manager', password: 'wrong-password' });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('INVALID_CREDENTIALS');
    expect(client.cookies.size).toBe(0);
    const failures = await portal.context.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'auth.login_failed')
      .where('username', '=', 'study-manager')
      .execute();
    expect(failures).toHaveLength(1);
    expect(failures[0]!.ip).toBe('127.0.0.1');
  });

  it('answers an unknown user name exactly like a wrong password', async () => {
    const response = await new TestClient(portal.baseUrl).post('/api/auth/login', {
      username: 'nobody',
      password: 'x',
    });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('rate-limits a user name after repeated failures, even with the right password, until the window passes', async () => {
    const client = new TestClient(portal.baseUrl);
    const user = fixtureUsername('site_uploader');
    for (let i = 0; i < 3; i++) {
      expect((await client.post('/api/auth/login', { username: user, password: 'wrong' })).status).toBe(401);
    }
    const limited = await client.post('/api/auth/login', { username: user, password: FIXTURE_PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.details.retryAfterSeconds).toBeLessThanOrEqual(300);
    portal.clock.advance(5 * 60_000 + 1000);
    expect((await client.post('/api/auth/login', { username: user, password: FIXTURE_PASSWORD })).status).toBe(200);
  });

  it('answers GET /api/me without credentials with AUTH_REQUIRED', async () => {
    const response = await new TestClient(portal.baseUrl).get('/api/me');
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('AUTH_REQUIRED');
  });

  it('expires an idle session with 401 SESSION_EXPIRED; logging in again resumes', async () => {
    const client = new TestClient(portal.baseUrl);
    await client.login(monitor, FIXTURE_PASSWORD);
    portal.clock.advance(9 * 60_000);
    expect((await client.get('/api/me')).status).toBe(200); // activity extends the idle timeout
    portal.clock.advance(9 * 60_000);
    expect((await client.get('/api/me')).status).toBe(200);
    portal.clock.advance(10 * 60_000 + 1);
    const expired = await client.get(`/api/studies/${fixture.studyId}/subjects`);
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('SESSION_EXPIRED');
    await client.login(monitor, FIXTURE_PASSWORD);
    const resumed = await client.get(`/api/studies/${fixture.studyId}/subjects`);
    expect(resumed.status).toBe(200);
    expect(resumed.body.total).toBe(2);
  });

  it('refuses a cookie-authenticated state change without, or with a wrong, x-csrf-token', async () => {
    const client = new TestClient(portal.baseUrl);
    await client.login(monitor, FIXTURE_PASSWORD);
    const body = { name: 'laptop' };
    const missing = await client.request('POST', '/api/tokens', body, { csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe('CSRF_INVALID');
    const wrong = await client.request('POST', '/api/tokens', body, { csrf: 'not-the-token' });
    expect(wrong.body.code).toBe('CSRF_INVALID');
    const other = new TestClient(portal.baseUrl);
    await other.login(monitor, FIXTURE_PASSWORD);
    const foreign = await client.request('POST', '/api/tokens', body, { csrf: other.csrfToken! });
    expect(foreign.body.code).toBe('CSRF_INVALID');
    expect((await client.get('/api/tokens')).body).toEqual([]); // nothing was created
    expect((await client.post('/api/tokens', body)).status).toBe(201);
  });

  it('logs out: the old cookie then answers SESSION_EXPIRED', async () => {
    const client = new TestClient(portal.baseUrl);
    await client.login(monitor, FIXTURE_PASSWORD);
    const cookie = client.cookies.get('courier_session')!;
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect(client.cookies.has('courier_session')).toBe(false);
    client.cookies.set('courier_session', cookie);
    const after = await client.get('/api/me');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('SESSION_EXPIRED');
  });

  it('changes the password: the current one is checked, other sessions end, the new one logs in', async () => {
    const user = fixtureUsername('admin');
    const browser = new TestClient(portal.baseUrl);
    await browser.login(user, FIXTURE_PASSWORD);
    const elsewhere = new TestClient(portal.baseUrl);
    await elsewhere.login(user, FIXTURE_PASSWORD);
    const wrong = await browser.post('/api/me/password', {
      currentPassword: 'nope',
      newPassword: 'a-brand-new-password',
    });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    const short = await browser.post('/api/me/password', { currentPassword: FIXTURE_PASSWORD, newPassword: 'short' });
    expect(short.body.code).toBe('VALIDATION_FAILED');
    const changed = await browser.post('/api/me/password', {
      currentPassword: FIXTURE_PASSWORD,
      newPassword: 'a-brand-new-password',
    });
    expect(changed.status).toBe(204);
    expect((await browser.get('/api/me')).status).toBe(200);
    expect((await elsewhere.get('/api/me')).body.code).toBe('SESSION_EXPIRED');
    const old = await new TestClient(portal.baseUrl).post('/api/auth/login', {
      username: user,
      password: FIXTURE_PASSWORD,
    });
    expect(old.body.code).toBe('INVALID_CREDENTIALS');
    await new TestClient(portal.baseUrl).login(user, 'a-brand-new-password');
  });

  it('switches the active study of the session, only to a study of the user', async () => {
    const client = new TestClient(portal.baseUrl);
    await client.login(monitor, FIXTURE_PASSWORD);
    const ok = await client.request('PUT', '/api/me/active-study', { studyId: fixture.studyId });
    expect(ok.status).toBe(200);
    expect(ok.body.activeStudyId).toBe(fixture.studyId);
    const unknown = await client.request('PUT', '/api/me/active-study', { studyId: crypto.randomUUID() });
    expect(unknown.status).toBe(404);
  });
});

describe(`personal API tokens on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  beforeAll(async () => {
    portal = await startPortal();
    fixture = await createFixtureStudy(portal);
  });
  afterAll(async () => portal.stop());

  it('authenticate the CLI with a bearer token stored only as a hash, without CSRF, until revoked', async () => {
    const browser = new TestClient(portal.baseUrl);
    await browser.login(fixtureUsername('study_manager'), FIXTURE_PASSWORD);
    const created = await browser.post('/api/tokens', { name: 'cli' });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^courier_pat_[\w-]{43}$/);
    const stored = await portal.context.db.selectFrom('apiTokens').selectAll().execute();
    expect(stored.map((row) => row.tokenHash)).toEqual([tokenHash(token)]);
    expect(JSON.stringify(stored)).not.toContain(token);

    const cli = new TestClient(portal.baseUrl);
    cli.bearer = token;
    const me = await cli.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ authenticatedBy: 'token', csrfToken: null, user: { username: 'study-manager' } });
    const enrolled = await cli.post(`/api/studies/${fixture.studyId}/subjects`, {
      siteId: fixture.siteA,
      label: 'A-900',
      sex: 'O',
      birthYear: 1970,
    });
    expect(enrolled.status).toBe(201);

    const listed = await browser.get('/api/tokens');
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0].token).toBeUndefined();
    expect(listed.body[0].lastUsedAt).not.toBeNull();

    expect((await browser.request('DELETE', `/api/tokens/${created.body.id}`)).status).toBe(204);
    const revoked = await cli.get('/api/me');
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe('TOKEN_INVALID');
  });

  it('cannot change the password of their owner', async () => {
    const browser = new TestClient(portal.baseUrl);
    await browser.login(fixtureUsername('monitor'), FIXTURE_PASSWORD);
    const cli = new TestClient(portal.baseUrl);
    cli.bearer = (await browser.post('/api/tokens', { name: 'script' })).body.token;
    const refused = await cli.post('/api/me/password', {
      currentPassword: FIXTURE_PASSWORD,
      newPassword: 'taken-over-password',
    });
    expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('stop working when their owner is disabled, and the disabled user cannot log in', async () => {
    const user = fixtureUsername('study_manager');
    const browser = new TestClient(portal.baseUrl);
    await browser.login(user, FIXTURE_PASSWORD);
    const cli = new TestClient(portal.baseUrl);
    cli.bearer = (await browser.post('/api/tokens', { name: 'script' })).body.token;
    const admin = new TestClient(portal.baseUrl);
    await admin.login(fixtureUsername('system_admin'), FIXTURE_PASSWORD);
    const disabled = await admin.request('PATCH', `/api/users/${fixture.userIds.study_manager}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect((await browser.get('/api/me')).body.code).toBe('SESSION_EXPIRED');
    expect((await cli.get('/api/me')).body.code).toBe('TOKEN_INVALID');
    const login = await new TestClient(portal.baseUrl).post('/api/auth/login', {
      username: user,
      password: FIXTURE_PASSWORD,
    });
    expect(login.body.code).toBe('INVALID_CREDENTIALS');
    await admin.request('PATCH', `/api/users/${fixture.userIds.study_manager}`, { disabled: false });
    expect((await cli.get('/api/me')).status).toBe(200);
    const self = await admin.request('PATCH', `/api/users/${fixture.userIds.system_admin}`, { disabled: true });
    expect([self.status, self.body.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('cannot be revoked by another user', async () => {
    const owner = new TestClient(portal.baseUrl);
    await owner.login(fixtureUsername('monitor'), FIXTURE_PASSWORD);
    const created = await owner.post('/api/tokens', { name: 'mine' });
    const other = new TestClient(portal.baseUrl);
    await other.login(fixtureUsername('admin'), FIXTURE_PASSWORD);
    expect((await other.request('DELETE', `/api/tokens/${created.body.id}`)).status).toBe(404);
    const cli = new TestClient(portal.baseUrl);
    cli.bearer = created.body.token;
    expect((await cli.get('/api/me')).status).toBe(200);
  });

  it('never write a password or token into the audit log', async () => {
    const rows = await portal.context.db.selectFrom('auditLog').selectAll().execute();
    expect(rows.length).toBeGreaterThan(5);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(FIXTURE_PASSWORD);
    expect(text).not.toContain('courier_pat_');
  });

  it('refuses an unknown token and a malformed Authorization header', async () => {
    const cli = new TestClient(portal.baseUrl);
    cli.bearer = 'courier_pat_made-up';
    expect((await cli.get('/api/me')).body.code).toBe('TOKEN_INVALID');
    const basic = await new TestClient(portal.baseUrl).request('GET', '/api/me', undefined, {
      headers: { authorization: 'Basic YTpi' },
    });
    expect(basic.status).toBe(401);
    expect(basic.body.code).toBe('TOKEN_INVALID');
  });
});

describe(`cookies behind TLS on ${TEST_BACKEND}`, () => {
  it('carry the Secure flag when COURIER_SECURE_COOKIES is set', async () => {
    const portal = await startPortal({ secureCookies: true });
    try {
      await createFixtureStudy(portal);
      const response = await new TestClient(portal.baseUrl).post('/api/auth/login', {
        username: fixtureUsername('monitor'),
        password: FIXTURE_PASSWORD,
      });
      const cookies = response.headers.getSetCookie();
      expect(cookies).toHaveLength(2);
      for (const cookie of cookies) expect(cookie).toMatch(/; Secure/i);
    } finally {
      await portal.stop();
    }
  });
});
