// Cross-file checks the per-file zod schemas cannot make: a lesson in one language only, a course listing a lesson
// without both files, a prerequisite naming an unknown course, a <KnowledgeCheck>/<H5P>/<Term> id that does not
// exist. Run at build (src/integrations/content-integrity.ts); every problem names the file and the field.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { isOwnContentType } from './h5p/ownActivityForm.ts';

export interface ContentProblem {
  file: string;
  field: string;
  message: string;
}

const LANGS = ['es', 'en'] as const;

/** `<Tag … id="x" …>` occurrences in MDX source, with whether the tag carries `required`. */
export function componentIds(source: string, tag: string): { id: string; required: boolean }[] {
  const out: { id: string; required: boolean }[] = [];
  const pattern = new RegExp(`<${tag}\\b([^>]*)>`, 'g');
  for (const match of source.matchAll(pattern)) {
    const attrs = match[1] ?? '';
    const id = attrs.match(/\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|\{\s*["']([^"']*)["']\s*\})/);
    if (!id) continue;
    out.push({ id: id[1] ?? id[2] ?? id[3] ?? '', required: /(^|\s)required(\s|=|\/|$)/.test(attrs) });
  }
  return out;
}

/** The ids of the H5P activities a lesson marks `required` (they count toward lesson completion). */
export function requiredActivities(source: string): string[] {
  return componentIds(source, 'H5P')
    .filter((c) => c.required)
    .map((c) => c.id);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null; // a malformed package is reported by the package checks
  }
}

function readYaml(path: string): unknown {
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch {
    return null; // malformed YAML is reported by the collection schemas
  }
}

export function checkContentIntegrity(contentDir = 'content'): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const rel = (p: string) => relative(process.cwd(), p) || p;
  const coursesDir = join(contentDir, 'courses');
  const glossary = readYaml(join(contentDir, 'glossary.yaml')) as { terms?: { id?: string }[] } | null;
  const termIds = new Set((glossary?.terms ?? []).map((t) => t.id));
  const h5pDir = join(contentDir, 'h5p');
  const courseDirs = existsSync(coursesDir) ? readdirSync(coursesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
  const manifests = new Map<string, { lessons?: unknown; prerequisites?: unknown; id?: unknown }>();
  for (const dir of courseDirs) {
    const manifestPath = join(coursesDir, dir, 'course.yaml');
    if (!existsSync(manifestPath)) {
      problems.push({ file: rel(join(coursesDir, dir)), field: 'course.yaml', message: 'course folder without course.yaml' });
      continue;
    }
    const manifest = readYaml(manifestPath) as { id?: unknown } | null;
    if (manifest) manifests.set(typeof manifest.id === 'string' ? manifest.id : dir, manifest);
  }
  for (const dir of courseDirs) {
    const manifestPath = join(coursesDir, dir, 'course.yaml');
    const manifest = readYaml(manifestPath) as { lessons?: unknown; prerequisites?: unknown } | null;
    if (!manifest) continue;
    const lessons = Array.isArray(manifest.lessons) ? manifest.lessons.map(String) : [];
    lessons.forEach((slug, i) => {
      for (const lang of LANGS) {
        if (!existsSync(join(coursesDir, dir, lang, `${slug}.mdx`))) problems.push({ file: rel(manifestPath), field: `lessons[${i}]`, message: `lesson "${slug}" has no ${lang}/${slug}.mdx` });
      }
    });
    const prerequisites = Array.isArray(manifest.prerequisites) ? manifest.prerequisites.map(String) : [];
    prerequisites.forEach((id, i) => {
      if (!manifests.has(id)) problems.push({ file: rel(manifestPath), field: `prerequisites[${i}]`, message: `unknown course "${id}"` });
    });
    const quiz = readYaml(join(coursesDir, dir, 'quiz.yaml')) as { practice?: { id?: string }[] } | null;
    const practiceIds = new Set((quiz?.practice ?? []).map((q) => q.id));
    for (const lang of LANGS) {
      const langDir = join(coursesDir, dir, lang);
      if (!existsSync(langDir)) continue;
      const other = lang === 'es' ? 'en' : 'es';
      for (const file of readdirSync(langDir).filter((f) => f.endsWith('.mdx'))) {
        const path = join(langDir, file);
        const slug = file.slice(0, -'.mdx'.length);
        if (!existsSync(join(coursesDir, dir, other, file))) problems.push({ file: rel(path), field: 'lesson', message: `lesson exists in ${lang} only: ${other}/${file} is missing` });
        if (!lessons.includes(slug)) problems.push({ file: rel(path), field: 'lesson', message: `lesson "${slug}" is not listed in course.yaml lessons` });
        const source = readFileSync(path, 'utf8');
        for (const { id } of componentIds(source, 'KnowledgeCheck')) {
          if (!practiceIds.has(id)) problems.push({ file: rel(path), field: `<KnowledgeCheck id="${id}">`, message: `no practice question "${id}" in ${dir}/quiz.yaml` });
        }
        for (const { id } of componentIds(source, 'Term')) {
          if (!termIds.has(id)) problems.push({ file: rel(path), field: `<Term id="${id}">`, message: `no glossary entry "${id}" in content/glossary.yaml` });
        }
        for (const { id, required } of componentIds(source, 'H5P')) {
          const packageFile = join(h5pDir, id, 'h5p.json');
          if (!existsSync(packageFile)) {
            problems.push({ file: rel(path), field: `<H5P id="${id}">`, message: `no H5P package content/h5p/${id}/h5p.json` });
            continue;
          }
          // A required activity must work without JavaScript: only our own types have a server-rendered form.
          const mainLibrary = String((readJson(packageFile) as { mainLibrary?: unknown } | null)?.mainLibrary ?? '');
          if (required && !isOwnContentType(mainLibrary)) {
            problems.push({ file: rel(path), field: `<H5P id="${id}" required>`, message: `lesson ${dir}/${lang}/${slug}: "${id}" is an imported ${mainLibrary || 'H5P'} package, which has no form that works without JavaScript, so it cannot be required (use a Capacita type or drop "required")` });
          }
        }
      }
    }
  }
  return problems;
}

export function formatProblems(problems: readonly ContentProblem[]): string {
  return `Content integrity check failed (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` + problems.map((p) => `  - ${p.file} › ${p.field}: ${p.message}`).join('\n');
}
