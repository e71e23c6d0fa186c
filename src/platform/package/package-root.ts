import fs from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = 'portico';

/**
 * The repository's root: the nearest directory above `from` whose package.json is this package's.
 * Files shipped beside the code (specs/, docs/) are found from it, whether the code runs from src/
 * under tsx or from compiled JavaScript in another folder, and whatever the working directory.
 */
export function packageRoot(from: string = import.meta.dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${from}`);
  }
}
