import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRtSet, writeFiles } from './rt-set.js';
import { DCMDUMP, hasDcmdump } from './system-fixtures.js';

// The generator is checked by an independent parser, so the scanner's tests do not rest on our reader alone.
describe.runIf(hasDcmdump())('generateRtSet checked by dcmdump', () => {
  let dir: string;
  const { files, uids } = generateRtSet({ contours: 3 });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'courier-rtset-'));
    await writeFiles(dir, files);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const dump = (path: string): string => execFileSync(DCMDUMP, ['-q', '+L', join(dir, path)], { encoding: 'utf8' });

  it('writes files dcmdump parses without complaint', () => {
    for (const f of files) expect(() => dump(f.path)).not.toThrow();
  });

  it('makes the RTSTRUCT reference every CT slice through its frame of reference', () => {
    const text = dump('RTSTRUCT/RS1.dcm');
    for (const sop of uids.ctInstances) expect(text).toContain(`(0008,1155) UI [${sop}]`);
    expect(text).toContain(`(0020,000e) UI [${uids.series.CT}]`);
    expect(text).toContain('(3006,0026) LO [Bladder]');
  });

  it('makes the RTDOSE reference the plan and the structure set, and the RTPLAN the structure set', () => {
    const dose = dump('RTDOSE/RD1.dcm');
    expect(dose).toContain(`(0008,1155) UI [${uids.plan}]`);
    expect(dose).toContain(`(0008,1155) UI [${uids.structure}]`);
    expect(dump('RTPLAN/RP1.dcm')).toContain(`(0008,1155) UI [${uids.structure}]`);
  });
});
