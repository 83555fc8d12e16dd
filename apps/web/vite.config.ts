import { defineConfig, type UserConfig } from 'vite';

// No React plugin: Vite 8 compiles TSX with Oxc (automatic JSX runtime) and we do not need Fast
// Refresh; this keeps the toolchain inside what Node 20.19 supports. The "source" condition makes
// @courier/* resolve to TypeScript source, as everywhere in the repository. In development /api is
// proxied to a Portal started with `npm start` (port 8080); in production the Portal serves dist/.
const config: UserConfig = defineConfig({
  resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
  // Scan workers import @courier/uploader as ES modules (code-split like the page).
  worker: { format: 'es' },
  // Cornerstone's DICOM image loader starts its decode worker and codec WASM with
  // new URL(…, import.meta.url); pre-bundling would move the files away from those URLs.
  optimizeDeps: { exclude: ['@cornerstonejs/dicom-image-loader'], include: ['dicom-parser'] },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/dicomweb': 'http://127.0.0.1:8080' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      // TanStack Query marks modules "use client" for React Server Components; meaningless in an SPA.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
export default config;
