/**
 * @courier/server — the Courier Portal. `buildApp(config)` builds it (tests, embedding);
 * `src/main.ts` runs it (`npm start`).
 */
export { type BuildOptions, buildApp, type PortalApp, SERVER_VERSION } from './app.js';
export { DEFAULT_CONFIG, loadConfig, type ServerConfig } from './config.js';
export type { AppContext, Clock } from './context.js';
export { type DemoCredential, type DemoSeed, seedDemoIfEmpty } from './demo/seed-demo.js';
