import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { apiDocs } from './build/api-docs.ts';
import { fieldPrecache } from './build/field-precache.ts';

const root = import.meta.dirname;

const fieldApp = fieldPrecache({ entryName: 'app', htmlFile: 'app/index.html', publicPrefix: 'app/' });

// `vite` (dev server) forwards /api to a running Ronda server. Set
// RONDA_API_URL when that server does not listen on the default address.
const apiTarget = process.env.RONDA_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    preact(),
    fieldApp.plugin,
    VitePWA({
      strategies: 'generateSW',
      filename: 'app/sw.js',
      scope: '/app/',
      // app/index.html links the manifest and main.tsx registers the worker,
      // so the plugin must not touch the console's page.
      injectRegister: false,
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        globIgnores: ['api-docs/**'],
        manifestTransforms: [fieldApp.manifestTransform],
        navigateFallback: '/app/index.html',
        navigateFallbackAllowlist: [/^\/app\//],
        directoryIndex: 'index.html',
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
    apiDocs(),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        console: resolve(root, 'index.html'),
        app: resolve(root, 'app/index.html'),
      },
    },
  },
  server: {
    proxy: {
      '/api': apiTarget,
    },
  },
});
