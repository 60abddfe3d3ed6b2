// Adds the API reference page to the build output under api-docs/: our own
// index.html and init script plus Swagger UI's bundle and stylesheet, copied
// from the swagger-ui-dist package so the page needs no CDN.
// NOTE: build only. `vite` (dev server) does not serve /api-docs/.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const OUTPUT_DIR = 'api-docs';

/** Files copied from swagger-ui-dist, including the notices its Apache-2.0 licence requires. */
const SWAGGER_FILES: ReadonlyArray<{ from: string; to: string }> = [
  { from: 'swagger-ui-bundle.js', to: 'swagger-ui-bundle.js' },
  { from: 'swagger-ui-bundle.js.LICENSE.txt', to: 'swagger-ui-bundle.js.LICENSE.txt' },
  { from: 'swagger-ui.css', to: 'swagger-ui.css' },
  { from: 'LICENSE', to: 'swagger-ui-LICENSE.txt' },
  { from: 'NOTICE', to: 'swagger-ui-NOTICE.txt' },
];

/** Our own page files, kept as plain files in src/api-docs/ and copied as they are. */
const PAGE_FILES = ['index.html', 'init.js'];

export function apiDocs(): Plugin {
  const require = createRequire(import.meta.url);
  const swaggerDir = dirname(require.resolve('swagger-ui-dist/package.json'));
  const pageDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'api-docs');

  return {
    name: 'ronda:api-docs',
    apply: 'build',
    generateBundle() {
      for (const file of SWAGGER_FILES) {
        this.emitFile({
          type: 'asset',
          fileName: `${OUTPUT_DIR}/${file.to}`,
          source: readFileSync(join(swaggerDir, file.from)),
        });
      }
      for (const file of PAGE_FILES) {
        this.emitFile({
          type: 'asset',
          fileName: `${OUTPUT_DIR}/${file}`,
          source: readFileSync(join(pageDir, file)),
        });
      }
    },
  };
}
