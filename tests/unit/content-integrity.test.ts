import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkContentIntegrity, componentIds, requiredActivities } from '../../src/server/content-integrity.ts';
import { FIXTURE_CONTENT } from './helpers/fixture-courses.ts';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function brokenCopy(): string {
  dir = mkdtempSync(join(tmpdir(), 'capacita-content-'));
  cpSync(FIXTURE_CONTENT, dir, { recursive: true });
  return dir;
}

describe('content integrity', () => {
  it('accepts the fixture content and the real content/', () => {
    expect(checkContentIntegrity(FIXTURE_CONTENT)).toEqual([]);
    expect(checkContentIntegrity('content')).toEqual([]);
  });

  it('names file and field for every cross-file problem', () => {
    const root = brokenCopy();
    const course = join(root, 'courses', 'fx-basico');
    unlinkSync(join(course, 'en', 'dos.mdx')); // lesson in one language only
    const manifest = readFileSync(join(course, 'course.yaml'), 'utf8').replace('lessons: [uno, dos]', 'lessons: [uno, dos, tres]').replace('prerequisites: []', 'prerequisites: [no-existe]');
    writeFileSync(join(course, 'course.yaml'), manifest);
    writeFileSync(join(course, 'es', 'uno.mdx'), readFileSync(join(course, 'es', 'uno.mdx'), 'utf8') + '\n<KnowledgeCheck id="fx-kc99" />\n<Term id="nada">x</Term>\n<H5P id="fx-actividad" required />\n');
    const problems = checkContentIntegrity(root).map((p) => `${p.file.split('fx-basico/').at(-1)} | ${p.field} | ${p.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'course.yaml | lessons[1] | lesson "dos" has no en/dos.mdx',
        'course.yaml | lessons[2] | lesson "tres" has no es/tres.mdx',
        'course.yaml | lessons[2] | lesson "tres" has no en/tres.mdx',
        'course.yaml | prerequisites[0] | unknown course "no-existe"',
        'es/dos.mdx | lesson | lesson exists in es only: en/dos.mdx is missing',
        'es/uno.mdx | <KnowledgeCheck id="fx-kc99"> | no practice question "fx-kc99" in fx-basico/quiz.yaml',
        'es/uno.mdx | <Term id="nada"> | no glossary entry "nada" in content/glossary.yaml',
        'es/uno.mdx | <H5P id="fx-actividad"> | no H5P package content/h5p/fx-actividad/h5p.json',
      ]),
    );
  });

  it('extracts component ids and required activities from MDX', () => {
    const source = `<H5P id="a-es" required />\n<H5P id='b-es' />\n<H5P required id="c-es"/>\n<Term id={"t"}>x</Term>`;
    expect(requiredActivities(source)).toEqual(['a-es', 'c-es']);
    expect(componentIds(source, 'Term')).toEqual([{ id: 't', required: false }]);
  });
});
