/**
 * `npm run build:ui`: bundles the web UI (ui/src) with esbuild into dist/ui, which the collector
 * serves (collector/receiver/ui-routes.ts): index.html, and assets/ with content-hashed names (cached
 * for a year by browsers). Prints the size of each asset, raw and gzipped.
 *
 * The new bundle is written beside the old one and swapped in with a rename, so a running
 * collector never serves a half-written UI.
 */
import { build } from 'esbuild';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'ui');
const staging = join(root, 'dist', `ui.building-${process.pid}`);

rmSync(staging, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { app: 'ui/src/main.tsx' },
  outdir: join(staging, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'esm',
  target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) => join(root, file));
const assetUrl = (extension) => {
  const file = outputs.find((output) => output.endsWith(extension) && basename(output).startsWith('app-'));
  if (file === undefined) throw new Error(`build:ui: esbuild wrote no app-*${extension}`);
  return `/assets/${basename(file)}`;
};
const html = readFileSync(join(root, 'ui', 'index.html'), 'utf8')
  .replace('<!--spanlite:css-->', `<link rel="stylesheet" href="${assetUrl('.css')}">`)
  .replace('<!--spanlite:js-->', `<script type="module" src="${assetUrl('.js')}"></script>`);
writeFileSync(join(staging, 'index.html'), html);

// Two renames, so dist/ui is missing only between them (a collector serving it, or a test that
// builds while others read it, would otherwise see it gone for as long as the delete takes).
const previous = join(root, 'dist', `ui.previous-${process.pid}`);
if (existsSync(target)) renameSync(target, previous);
renameSync(staging, target);
rmSync(previous, { recursive: true, force: true });

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
let total = 0;
let totalGzip = 0;
const lines = [];
for (const file of outputs.filter((output) => !output.endsWith('.map'))) {
  const finalPath = join(target, relative(staging, file));
  const bytes = statSync(finalPath).size;
  const gzip = gzipSync(readFileSync(finalPath), { level: 9 }).length;
  total += bytes;
  totalGzip += gzip;
  lines.push(`  ${relative(root, finalPath).padEnd(40)} ${kB(bytes).padStart(9)}  (${kB(gzip)} gzip)`);
}
console.log(`web UI bundle: ${kB(total)} (${kB(totalGzip)} gzip)\n${lines.join('\n')}`);
