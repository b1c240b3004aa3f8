// What a page needs to know about a package before the player loads it: that it exists, its title and language.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { h5pJsonSchema } from './h5pJsonSchemas.ts';
import { isValidPackageId } from './h5pContentRoot.ts';

export interface PackageSummary {
  id: string;
  title: string;
  /** Two-letter language of the package ('es' when h5p.json does not say). */
  language: string;
  mainLibrary: string;
}

/** The package's summary from its h5p.json, or null when the id is invalid or the package is missing or broken. */
export function readPackageSummary(root: string, id: string): PackageSummary | null {
  if (!isValidPackageId(id)) return null;
  try {
    const h5p = h5pJsonSchema.parse(JSON.parse(readFileSync(join(root, id, 'h5p.json'), 'utf8')));
    const declared = (h5p.language ?? '').toLowerCase();
    const language = declared && declared !== 'und' ? declared.slice(0, 2) : 'es';
    return { id, title: h5p.title, language, mainLibrary: h5p.mainLibrary };
  } catch {
    return null;
  }
}
