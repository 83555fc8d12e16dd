import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAndWait } from '../../test/commit-upload.js';
import { stagedUpload } from '../../test/dicom-upload.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from '../../test/fixture-study.js';
import { startPortalOn } from '../../test/orthanc/portal-on-store.js';
import { type RunningPortal, TestClient } from '../../test/portal-harness.js';
import { TEST_BACKEND } from '../../test/test-database.js';
import type { DicomStore } from '../storage/dicom-store.js';
import { fileSystemStore } from '../storage/file-system/file-system-store.js';

type Fault = 'none' | 'lose-one' | 'alter-one';

/**
 * A file-system store with a fault switched on by the test: `lose-one` acknowledges every instance
 * and then loses one (its file deleted, as a disk or a PACS may), `alter-one` stores one instance
 * with a byte changed (as a PACS that transcodes may) and reports honestly what it holds.
 */
function faultyStore(root: string): { store: DicomStore; fault: { value: Fault } } {
  const inner = fileSystemStore(root);
  const fault = { value: 'none' as Fault };
  const store: DicomStore = {
    ...inner,
    async putMany(items) {
      if (fault.value === 'alter-one') {
        const [first, ...rest] = items;
        if (first === undefined) return [];
        const { readFile } = await import('node:fs/promises');
        const bytes = new Uint8Array(await readFile(first.path));
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
        const stored = await inner.put(
          first.key,
          (async function* () {
            yield bytes;
          })(),
        );
        return [{ key: first.key, ok: true as const, stored }, ...(await inner.putMany(rest))];
      }
      const results = await inner.putMany(items);
      if (fault.value === 'lose-one' && items[0] !== undefined) {
        const { key } = items[0];
        await unlink(join(root, key.studyInstanceUid, key.seriesInstanceUid, `${key.sopInstanceUid}.dcm`));
      }
      return results;
    },
  };
  return { store, fault };
}

describe(`commit against a store that loses or alters bytes, on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  let uploader: TestClient;
  let root: string;
  let fault: { value: Fault };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'courier-faulty-store-'));
    const faulty = faultyStore(root);
    fault = faulty.fault;
    portal = await startPortalOn(faulty.store);
    fixture = await createFixtureStudy(portal);
    uploader = new TestClient(portal.baseUrl);
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await portal?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses the commit with 502 STORE_VERIFY_FAILED naming the instance, slot and staging unchanged, then succeeds on retry', async () => {
    const target = {
      studyId: fixture.studyId,
      subjectId: fixture.subjectA,
      eventId: fixture.eventA,
      slotDefinitionId: fixture.slotCt,
    };
    const { id, set } = await stagedUpload(uploader, target, { seed: 41 });
    const slotValue = async () =>
      (
        await uploader.get(
          `/api/studies/${fixture.studyId}/subjects/${fixture.subjectA}/events/${fixture.eventA}/slots`,
        )
      ).body.find((s: { slotDefinitionId: string }) => s.slotDefinitionId === fixture.slotCt).value;

    for (const [which, reason] of [
      ['lose-one', /not listed/],
      ['alter-one', /the store holds/],
    ] as const) {
      fault.value = which;
      const refused = await commitAndWait(uploader, id, {});
      expect([refused.status, refused.body.code], which).toEqual([502, 'STORE_VERIFY_FAILED']);
      expect(refused.body.details.reason).toMatch(reason);
      expect(set.files.map((f) => f.manifest.sopInstanceUid)).toContain(refused.body.details.sopInstanceUid);
      expect(await slotValue()).toBeNull();
      expect((await uploader.get(`/api/uploads/${id}`)).body.status).toBe('open');
      expect(await readdir(join(portal.context.config.dataDir, 'staging', id))).toHaveLength(set.files.length);
    }
    fault.value = 'none';
    const committed = await commitAndWait(uploader, id, {});
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect((await slotValue()).studyInstanceUid).toBe(set.studyInstanceUid);
    expect(await portal.context.store.listStudy(set.studyInstanceUid)).toHaveLength(set.files.length);
  });
});
