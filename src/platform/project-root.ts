import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The checkout's root, found by walking up to our package.json, so paths work the same from
 * src/ (ts-jest) and from the compiled dist/src/.
 */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'milo-platform') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the milo-platform project root');
    dir = parent;
  }
}
