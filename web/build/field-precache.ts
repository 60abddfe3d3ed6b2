// Limits the field app's service worker precache to the files the field app
// loads. The console and the API docs share the output folder, so globbing
// alone would precache them too.
//
// During the build, the plugin walks the bundle graph from the field app's
// entry and records every chunk, stylesheet and asset it reaches. Workbox
// then keeps only those files plus the field app's public files (manifest
// and icons under `app/`).

import type { Plugin, Rolldown } from 'vite';
import type { VitePWAOptions } from 'vite-plugin-pwa';

type OutputBundle = Rolldown.OutputBundle;
type OutputChunk = Rolldown.OutputChunk;

type ManifestTransform = NonNullable<NonNullable<VitePWAOptions['workbox']>['manifestTransforms']>[number];

export interface FieldPrecache {
  plugin: Plugin;
  manifestTransform: ManifestTransform;
}

interface FieldPrecacheOptions {
  /** Key of the field app in `build.rolldownOptions.input`. */
  entryName: string;
  /** Output path of the field app's HTML page. */
  htmlFile: string;
  /** Output folder whose public files all belong to the field app. */
  publicPrefix: string;
}

function isChunk(output: OutputBundle[string] | undefined): output is OutputChunk {
  return output !== undefined && output.type === 'chunk';
}

function collectReachableFiles(bundle: OutputBundle, entryName: string): Set<string> {
  const entry = Object.values(bundle).find((output) => isChunk(output) && output.isEntry && output.name === entryName);
  if (!isChunk(entry)) {
    throw new Error(`Field app entry "${entryName}" is missing from the bundle`);
  }

  const files = new Set<string>();
  const pending: OutputChunk[] = [entry];
  while (pending.length > 0) {
    const chunk = pending.pop()!;
    if (files.has(chunk.fileName)) {
      continue;
    }
    files.add(chunk.fileName);
    for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
    for (const asset of chunk.viteMetadata?.importedAssets ?? []) files.add(asset);
    for (const imported of [...chunk.imports, ...chunk.dynamicImports]) {
      const next = bundle[imported];
      if (isChunk(next)) pending.push(next);
    }
  }
  return files;
}

export function fieldPrecache(options: FieldPrecacheOptions): FieldPrecache {
  let reachable: Set<string> | null = null;

  const plugin: Plugin = {
    name: 'ronda:field-precache',
    apply: 'build',
    generateBundle(_outputOptions, bundle) {
      reachable = collectReachableFiles(bundle, options.entryName);
      reachable.add(options.htmlFile);
    },
  };

  // Workbox resolves relative URLs against the service worker's own folder
  // (/app/), so every entry is made absolute from the site root.
  const manifestTransform: ManifestTransform = async (entries) => {
    if (reachable === null) {
      throw new Error('Field precache list requested before the bundle was generated');
    }
    const allowed = reachable;
    const manifest = entries
      .filter((entry) => allowed.has(entry.url) || entry.url.startsWith(options.publicPrefix))
      .map((entry) => ({ ...entry, url: `/${entry.url}` }));
    return { manifest, warnings: [] };
  };

  return { plugin, manifestTransform };
}
