// npm run h5p:import -- path/to/file.h5p [--id package-id] [--replace] [--root content/h5p]
// Validates an .h5p file exported from an H5P editor and installs it under content/h5p/<id>/, with its libraries
// de-duplicated in content/h5p/libraries/. Prints exactly what is wrong when the file is refused.
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultH5PRoot } from '../src/server/h5p/h5pContentRoot.ts';
import { importH5PPackage } from '../src/server/h5p/importH5PPackage.ts';

const USAGE = 'usage: npm run h5p:import -- path/to/file.h5p [--id package-id] [--replace] [--root content/h5p]';

function idFromFileName(path: string): string {
  return basename(path)
    .replace(/\.h5p$/i, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function main(): number {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { id: { type: 'string' }, replace: { type: 'boolean', default: false }, root: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [file, ...extra] = args.positionals;
  if (args.values.help || !file || extra.length) {
    console.error(USAGE);
    return args.values.help ? 0 : 2;
  }
  let zip: Uint8Array;
  try {
    zip = readFileSync(file);
  } catch (error) {
    console.error(`cannot read ${file}: ${(error as Error).message}`);
    return 2;
  }
  const root = args.values.root ?? defaultH5PRoot();
  const id = args.values.id ?? idFromFileName(file);
  const result = importH5PPackage(zip, { root, id, replace: args.values.replace });
  if (!result.ok) {
    console.error(`✗ ${file} was not imported:`);
    for (const error of result.errors) console.error(`  - ${error}`);
    for (const warning of result.warnings) console.error(`  (warning) ${warning}`);
    return 1;
  }
  const { report } = result;
  const folder = join(root, report.id);
  const where = relative(process.cwd(), folder).startsWith('..') ? folder : relative(process.cwd(), folder);
  console.log(`✓ imported "${report.title}" (${report.mainLibrary}) as ${report.id} → ${where}`);
  for (const [label, list] of [
    ['libraries added', report.librariesAdded],
    ['libraries upgraded', report.librariesUpgraded],
    ['libraries already installed', report.librariesAlreadyInstalled],
  ] as const) {
    if (list.length) console.log(`  ${label}: ${list.join(', ')}`);
  }
  for (const warning of report.warnings) console.log(`  (warning) ${warning}`);
  console.log(`  use it in a lesson with <H5P id="${report.id}" /> (add required to count it toward completion)`);
  return 0;
}

process.exitCode = main();
