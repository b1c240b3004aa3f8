// One register: the interface speaks to the reader as "usted", as the course content does ("Observe", "¿Qué haría
// usted?"). This fails when a Spanish UI string says "tú" — through a pronoun, a second-person verb, an imperative at
// the start of a sentence, or an imperative with a pronoun attached ("complétala"). Strings not converted yet are listed
// in fixtures/tu-register-pending.json; the list may only shrink (a listed string that no longer says "tú" fails too,
// so its key is taken off).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { common } from '../../src/i18n/messages/common.ts';
import { auth } from '../../src/i18n/messages/auth.ts';
import { learning } from '../../src/i18n/messages/learning.ts';
import { dashboard } from '../../src/i18n/messages/dashboard.ts';
import { admin } from '../../src/i18n/messages/admin.ts';
import { h5p } from '../../src/i18n/messages/h5p.ts';
import { resilience } from '../../src/i18n/messages/resilience.ts';
import { certificates } from '../../src/i18n/messages/certificates.ts';
import { placement } from '../../src/i18n/messages/placement.ts';
import { guia } from '../../src/i18n/messages/guia.ts';
import { reminders } from '../../src/i18n/messages/reminders.ts';

const spanish: Record<string, string> = Object.assign({}, ...[common, auth, learning, dashboard, admin, h5p, resilience, certificates, placement, guia, reminders].map((m) => m.es));

const PRONOUN = /\b(tu|tus|te|ti|contigo)\b/i;
const SECOND_PERSON = /\b(puedes|tienes|debes|quieres|necesitas|estás|eres|has|sabes|podrás|verás|recibirás|tendrás|deberás|buscas|cumplas|acabas|olvidaste|fuiste|hiciste|recibiste)\b/i;
// An imperative opening a sentence (the same word mid-sentence is often a third person: "el comité revisa").
const IMPERATIVE = /(^|[.:;!?¿¡]\s+|—\s*)(Escribe|Elige|Revisa|Vuelve|Espera|Recarga|Confirma|Sube|Corrige|Pide|Abre|Descarga|Cambia|Activa|Sigue|Busca|Cierra|Inicia|Comprueba|Selecciona|Indica|Añade|Lee|Haz|Pon|Guarda|Intenta|Divide|Responde|Contesta|Consulta|Anota|Ingresa|Introduce)\b/u;
const ENCLITIC_TU = /\b(inténtalo|complétala|actívala|guárdalo|divídelo|corrígelas|regístrate|revísalo|escríbela|descárgalo|pídela|úsala|ábrelo|complétalas|recárgala|elígela|confírmala)\b/i;

function saysTu(text: string): boolean {
  return PRONOUN.test(text) || SECOND_PERSON.test(text) || IMPERATIVE.test(text) || ENCLITIC_TU.test(text);
}

const pending = new Set<string>(JSON.parse(readFileSync(new URL('./fixtures/tu-register-pending.json', import.meta.url), 'utf8')) as string[]);

describe('the Spanish interface says usted', () => {
  it('recognises the tú forms it guards against, and leaves usted alone', () => {
    for (const tu of ['Elige tu país.', 'Revisa tu correo', 'Cuando cumplas estos requisitos podrás inscribirte.', 'Actividad obligatoria: complétala.', 'Ya tienes una cuenta', '¿Olvidaste tu contraseña?', 'Listo. Escribe el código.']) expect(saysTu(tu), tu).toBe(true);
    for (const usted of ['Elija su país.', 'Revise su correo', 'Cuando cumpla estos requisitos podrá inscribirse.', 'Actividad obligatoria: complétela.', 'Ya tiene una cuenta', 'El comité revisa la solicitud.', 'Se ve en el panel.']) expect(saysTu(usted), usted).toBe(false);
  });

  it('has no tú form in any string outside the pending list', () => {
    const offenders = Object.entries(spanish).filter(([key, text]) => !pending.has(key) && saysTu(text)).map(([key, text]) => `${key}: ${text}`);
    expect(offenders).toEqual([]);
  });

  it('takes a converted string off the pending list', () => {
    const converted = [...pending].filter((key) => !(key in spanish) || !saysTu(spanish[key]!));
    expect(converted).toEqual([]);
  });
});
