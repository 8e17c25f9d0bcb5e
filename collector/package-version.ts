/**
 * The version of the installed spanlite package, for the health check: read from the nearest
 * spanlite package.json above this module, which is `../package.json` from the sources
 * (`collector/`) and `../../package.json` from the build (`dist/collector/`) or a bundle in `dist/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'spanlite';

/** @throws Error naming the folders searched when no spanlite package.json is above `moduleUrl`. */
export function packageVersion(moduleUrl: string | URL = import.meta.url): string {
  const searched: string[] = [];
  for (let dir = dirname(fileURLToPath(moduleUrl)); !searched.includes(dir); dir = dirname(dir)) {
    searched.push(dir);
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
    if (manifest.name === PACKAGE_NAME && typeof manifest.version === 'string') return manifest.version;
  }
  throw new Error(`package version: no ${PACKAGE_NAME} package.json in ${searched.join(', ')}`);
}
