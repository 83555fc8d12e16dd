// The Portal's entry point: read the environment, build the app, seed the demo on first start,
// listen. Everything else lives in app.ts so tests can build the same app without a fixed port.
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { seedDemoIfEmpty } from './demo/seed-demo.js';

const config = loadConfig(process.env);
const loopback = ['127.0.0.1', '::1', 'localhost'].includes(config.host);
if (!loopback && !config.secureCookies) {
  console.warn(
    `Warning: listening on ${config.host} without COURIER_SECURE_COOKIES=1 — serve the Portal only behind HTTPS ` +
      'and set it, or session cookies travel in clear.',
  );
}
const { app, context } = await buildApp(config);

if (config.demo) {
  const seed = await seedDemoIfEmpty(context);
  if (seed !== null) {
    const lines = seed.credentials.map((c) => `  ${c.username.padEnd(10)} ${c.password}   (${c.role})`);
    console.log(
      ['', 'Courier demo study created. Log in with (passwords are shown only this once):', ...lines, ''].join('\n'),
    );
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}

await app.listen({ port: config.port, host: config.host });
console.log(`Courier Portal listening on http://${config.host}:${config.port} (API document at /api/docs)`);
