// How responsive the Uploader page stays while it uploads 2,000 files: the longest main-thread task
// (Long Tasks API, tasks over 50 ms), their total, and the longest gap between animation frames,
// from "Upload" to "Verified". Not a test (timings depend on the machine): a measurement to run by
// hand and compare two builds of the web app in the same run of the machine, e.g.
//
//   cp -r apps/web/dist /tmp/dist-before   # (build of the version to compare against)
//   npm run build:web
//   COURIER_E2E_WEB_DIST=/tmp/dist-before node --conditions=source --import tsx test/e2e/measure/upload-main-thread.ts
//   node --conditions=source --import tsx test/e2e/measure/upload-main-thread.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRtSet, writeFiles } from '../../../packages/uploader/test/rt-set.js';
import { launchChromium } from '../browser.js';
import { LoginPage } from '../pages/login-page.js';
import { UploaderWindow } from '../pages/uploader-window.js';
import { startE2ePortal, WEB_DIST } from '../portal.js';

const FILES = Number(process.env.FILES ?? 2000);

const dir = await mkdtemp(join(tmpdir(), 'courier-measure-'));
const { files } = generateRtSet({ ctSlices: FILES, sex: 'F', birthDate: '19560314' });
const ct = files.filter((f) => f.path.startsWith('CT'));
await writeFiles(dir, ct);
const portal = await startE2ePortal();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await new LoginPage(page, portal.baseUrl).logIn('uploader', portal.password('uploader'));
  await page.goto(
    portal.baseUrl + (await portal.uploaderPath({ subject: 'S01-001', event: 'Planning', slot: 'Planning CT' })),
  );
  const uploader = new UploaderWindow(page);
  await uploader.waitForOverview();
  await uploader.connect();
  await uploader.scan.addFiles(ct.map((f) => join(dir, f.path)));
  await uploader.scan.selectAndAccept(() => uploader.scan.selectInTable('CT'));
  // From here on: every long task and the largest gap between two animation frames.
  await page.evaluate(`(() => {
    window.__tasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__tasks.push(e.duration); })
      .observe({ type: 'longtask' });
    window.__gap = 0;
    let last = performance.now();
    const frame = (t) => { window.__gap = Math.max(window.__gap, t - last); last = t; if (!window.__stop) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  })()`);
  const started = Date.now();
  await uploader.upload.start();
  const outcome = await uploader.upload.outcome(900_000);
  const seconds = (Date.now() - started) / 1000;
  await page.evaluate('window.__stop = true');
  const tasks = (await page.evaluate('window.__tasks')) as number[];
  const gap = (await page.evaluate('window.__gap')) as number;
  const verified = await uploader.upload.count('verified');
  console.log(
    JSON.stringify({
      build: WEB_DIST,
      files: ct.length,
      outcome: outcome.end,
      verified,
      seconds: Number(seconds.toFixed(1)),
      longTasks: tasks.length,
      longestTaskMs: Math.round(Math.max(0, ...tasks)),
      longTasksTotalMs: Math.round(tasks.reduce((a, b) => a + b, 0)),
      longestFrameGapMs: Math.round(gap),
    }),
  );
} finally {
  await browser.close();
  await portal.stop();
  await rm(dir, { recursive: true, force: true });
}
