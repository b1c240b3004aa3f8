// Copies the h5p-standalone player (scripts, styles and the fonts they refer to) into public/h5p-player/ before Astro
// starts, so the build and the dev server serve it from /h5p-player/. The folder is git-ignored: the player is
// committed once, as the npm dependency.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

export const H5P_PLAYER_PATH = '/h5p-player';
const PARTS = ['main.bundle.js', 'frame.bundle.js', 'styles', 'fonts', 'images'];

export function copyH5PPlayer(publicDir: string): void {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('h5p-standalone/package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const source = join(dirname(packageJson), 'dist');
  const target = join(publicDir, H5P_PLAYER_PATH.slice(1));
  const stamp = join(target, '.version');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === version) return;
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const part of PARTS) cpSync(join(source, part), join(target, part), { recursive: true });
  writeFileSync(stamp, version);
}

export default function h5pPlayerAssets(): AstroIntegration {
  return {
    name: 'capacita:h5p-player-assets',
    hooks: {
      'astro:config:setup': ({ config, logger }) => {
        copyH5PPlayer(fileURLToPath(config.publicDir));
        logger.debug(`h5p-standalone copied to public${H5P_PLAYER_PATH}/`);
      },
    },
  };
}
