// One register: the interface speaks to the reader as "usted", as the course content does ("Observe", "¿Qué haría
// usted?"). This fails when Spanish interface text says "tú" (or "vos") — through a pronoun, a second-person verb, an
// imperative at the start of a sentence, or an imperative with a pronoun attached ("complétala"). It reads every
// message file under src/i18n/messages (a new file is covered without touching this test) and the Spanish text that
// pages, components and layouts carry themselves (the privacy notice is prose in its page). No exceptions are kept.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { looksSpanish, saysTu } from './helpers/register.ts';

const MESSAGES = join('src', 'i18n', 'messages');

async function spanishMessages(): Promise<Record<string, string>> {
  const spanish: Record<string, string> = {};
  for (const file of readdirSync(MESSAGES).filter((f) => f.endsWith('.ts'))) {
    const module = (await import(/* @vite-ignore */ `../../${MESSAGES}/${file}`)) as Record<string, { es?: Record<string, string> }>;
    for (const block of Object.values(module)) Object.assign(spanish, block.es);
  }
  return spanish;
}

const INTERFACE_DIRS = [join('src', 'pages'), join('src', 'components'), join('src', 'layouts')];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(astro|tsx?)$/.test(name) ? [path] : [];
  });
}


/** The Spanish text a source file shows: markup between tags and string literals, without comments or scripts. */
export function shownText(source: string, kind: 'astro' | 'tsx' | 'ts'): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/<!--[\s\S]*?-->/g, ' ').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const template = kind === 'ts' ? '' : kind === 'astro' ? code.replace(/^---\n[\s\S]*?\n---\n/, '') : code;
  const markup = template.replace(/<(script|style)\b[\s\S]*?<\/\1>/g, ' ').split(/<[^<>]*>/).map((t) => t.replace(/\{[^{}]*\}/g, ' ').trim());
  const literals = [...code.matchAll(/'([^'\n]*)'|"([^"\n]*)"|`([^`\n]*)`/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  return [...markup, ...literals].filter((t) => t.length > 0 && looksSpanish(t));
}

describe('the Spanish interface says usted', () => {
  it('recognises the tú forms it guards against, and leaves usted alone', () => {
    const tu = ['Elige tu país.', 'Revisa tu correo', 'Cuando cumplas estos requisitos podrás inscribirte.', 'Actividad obligatoria: complétala.', 'Ya tienes una cuenta', '¿Olvidaste tu contraseña?', 'Listo. Escribe el código.', 'Avisa al equipo del curso.', 'Marca la casilla para confirmar.', 'Ya aprobaste esta evaluación.', 'Inscríbete en el curso.', 'Guárdalos en un lugar seguro: cada uno sirve si pierdes el teléfono.', 'no la compartas fuera de él', 'cuando apruebes', 'Deja vacío un programa sin meta.', 'Si vos podés, entrá.'];
    const usted = ['Elija su país.', 'Revise su correo', 'Cuando cumpla estos requisitos podrá inscribirse.', 'Actividad obligatoria: complétela.', 'Ya tiene una cuenta', '¿Olvidó su contraseña?', 'El comité revisa la solicitud.', 'Se ve en el panel.', 'Activa', 'Prueba de ubicación', 'Ya existe una cuenta con ese correo.', 'Se envía a la persona junto con la decisión.', 'el límite de tiempo', 'Inscríbase en el curso.', 'Guárdelos en un lugar seguro.'];
    for (const text of tu) expect(saysTu(text), text).toBe(true);
    for (const text of usted) expect(saysTu(text), text).toBe(false);
  });

  it('has no tú form in any UI message', async () => {
    const offenders = Object.entries(await spanishMessages()).filter(([, text]) => saysTu(text)).map(([key, text]) => `${key}: ${text}`);
    expect(offenders).toEqual([]);
  });

  it('reads the Spanish a page carries itself, and finds none in tú', () => {
    expect(shownText(`---\n// Elige tu país (a comment)\nconst x = 'Revisa tu correo';\n---\n<p>Tus datos</p><p>{t('k')}</p><p>You have data</p>`, 'astro')).toEqual(['Tus datos', 'Revisa tu correo']);
    const offenders = INTERFACE_DIRS.flatMap(sourceFiles).flatMap((file) => shownText(readFileSync(file, 'utf8'), file.endsWith('.astro') ? 'astro' : file.endsWith('.tsx') ? 'tsx' : 'ts').filter((text) => saysTu(text)).map((text) => `${file}: ${text}`));
    expect(offenders).toEqual([]);
  });
});
