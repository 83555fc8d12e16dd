// One Portal instance as its own process, for the cluster test: configuration from the
// environment like main.ts (COURIER_STAGING_DIR, COURIER_STORE, COURIER_PACS_*, DATABASE_URL), the
// test's fresh PostgreSQL schema from COURIER_TEST_SEARCH_PATH, a free loopback port reported on
// stdout as `PORTAL_PORT=<n>`; SIGTERM closes it.
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/database/open-database.js';

const config = loadConfig(process.env);
const searchPath = process.env.COURIER_TEST_SEARCH_PATH || undefined;
const backend = openDatabase(config, searchPath === undefined ? {} : { searchPath });
const { app } = await buildApp(config, { backend });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`PORTAL_PORT=${(app.server.address() as AddressInfo).port}\n`);
