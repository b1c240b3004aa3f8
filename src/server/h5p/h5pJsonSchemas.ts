// The shapes of h5p.json and library.json that the platform relies on (the H5P specification allows more fields; the
// schemas keep them). Shared by the importer and the checks on content/h5p.
import { z } from 'astro/zod';

/**
 * A library's machine name, as the H5P specification defines it (h5p.org/library-definition: "characters, numbers,
 * dashes, and periods; should start with a character", at most 255 like H5P core's check, which also admits `_`).
 * No dot is required: the official `FontAwesome` and `Tether` libraries have none; most names are `H5P.Something`.
 */
const MACHINE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,254}$/;

export const libraryDependencySchema = z.object({
  machineName: z.string().regex(MACHINE_NAME, 'not a library machine name (like H5P.MultiChoice)'),
  majorVersion: z.coerce.number().int().nonnegative(),
  minorVersion: z.coerce.number().int().nonnegative(),
});
export type LibraryDependency = z.infer<typeof libraryDependencySchema>;

export const h5pJsonSchema = z.looseObject({
  title: z.string().min(1),
  language: z.string().min(2).optional(),
  mainLibrary: z.string().regex(MACHINE_NAME),
  embedTypes: z.array(z.enum(['div', 'iframe'])).optional(),
  preloadedDependencies: z.array(libraryDependencySchema).min(1),
});
export type H5PJson = z.infer<typeof h5pJsonSchema>;

const filePathSchema = z.object({ path: z.string().min(1) });

export const libraryJsonSchema = z.looseObject({
  title: z.string().min(1),
  machineName: z.string().regex(MACHINE_NAME),
  majorVersion: z.coerce.number().int().nonnegative(),
  minorVersion: z.coerce.number().int().nonnegative(),
  patchVersion: z.coerce.number().int().nonnegative(),
  runnable: z.union([z.literal(0), z.literal(1), z.boolean()]).optional(),
  coreApi: z.object({ majorVersion: z.coerce.number().int(), minorVersion: z.coerce.number().int() }).optional(),
  preloadedJs: z.array(filePathSchema).optional(),
  preloadedCss: z.array(filePathSchema).optional(),
  preloadedDependencies: z.array(libraryDependencySchema).optional(),
  dynamicDependencies: z.array(libraryDependencySchema).optional(),
  editorDependencies: z.array(libraryDependencySchema).optional(),
});
export type LibraryJson = z.infer<typeof libraryJsonSchema>;

/** The folder a library lives in: `H5P.MultiChoice-1.16` (the player looks it up by exactly this name). */
export function libraryFolderName(dependency: LibraryDependency): string {
  return `${dependency.machineName}-${dependency.majorVersion}.${dependency.minorVersion}`;
}

/** The H5P core API major version the standalone player implements; libraries needing a later one cannot run. */
export const PLAYER_CORE_API_MAJOR = 1;

/** "field.path: message" lines from a zod error, for reports a person can act on. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}
