import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureStudy, FIXTURE_PASSWORD, fixtureUsername } from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

// GET/PUT /api/me/mail-address, which the web app's "My account" page uses: every user (the site
// uploader here) sets only their own address; the Portal validates it (RFC 5321 mailbox with a
// dotted domain, at most 254 characters), stores it lower-cased, and audits that it was set or
// removed without writing the address into the log.
describe(`the caller's notification address over loopback on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let uploader: TestClient;
  const username = fixtureUsername('site_uploader');
  beforeAll(async () => {
    portal = await startPortal();
    await createFixtureStudy(portal);
    uploader = new TestClient(portal.baseUrl);
    await uploader.login(username, FIXTURE_PASSWORD);
  });
  afterAll(async () => portal.stop());

  const storedEmail = async () =>
    (await portal.context.db.selectFrom('users').select('email').where('username', '=', username).executeTakeFirst())
      ?.email;

  it('starts empty, then stores a valid address trimmed and lower-cased and answers it', async () => {
    expect((await uploader.get('/api/me/mail-address')).body).toEqual({ email: null });
    const set = await uploader.request('PUT', '/api/me/mail-address', { email: '  Site.Uploader@Example.ORG ' });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ email: 'site.uploader@example.org' });
    expect((await uploader.get('/api/me/mail-address')).body).toEqual({ email: 'site.uploader@example.org' });
    expect(await storedEmail()).toBe('site.uploader@example.org');
  });

  it.each([
    ['a domain without a dot', 'someone@localhost'],
    ['a display name', 'Site Uploader <uploader@example.org>'],
    ['two addresses', 'a@example.org, b@example.org'],
    ['more than 254 characters', `${'x'.repeat(250)}@example.org`],
    ['no address at all', ''],
  ])('refuses %s with 400 VALIDATION_FAILED and keeps the stored address', async (_what, email) => {
    const refused = await uploader.request('PUT', '/api/me/mail-address', { email });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    expect(await storedEmail()).toBe('site.uploader@example.org');
  });

  it('refuses a cookie-authenticated change without the CSRF header', async () => {
    const refused = await uploader.request('PUT', '/api/me/mail-address', { email: 'x@example.org' }, { csrf: false });
    expect(refused.status).toBe(403);
    expect(await storedEmail()).toBe('site.uploader@example.org');
  });

  it('removes the address with null', async () => {
    expect((await uploader.request('PUT', '/api/me/mail-address', { email: null })).body).toEqual({ email: null });
    expect(await storedEmail()).toBeNull();
  });

  it('audits each change as user.mail_address_set without the address', async () => {
    const rows = await portal.context.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'user.mail_address_set')
      .orderBy('id')
      .execute();
    expect(rows.map((row) => JSON.parse(row.detailsJson))).toEqual([{ set: true }, { set: false }]);
    expect(JSON.stringify(rows)).not.toContain('example.org');
  });
});
