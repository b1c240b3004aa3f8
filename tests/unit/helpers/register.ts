// Spanish addressed as "tú" (or "vos") rather than "usted", as far as words can tell it: Capacita speaks to public
// officials as "usted" everywhere (interface and courses). Quoted speech («…») is the caller's to remove.

/** One of these words, not inside a longer word (\b does not know accented letters). */
function words(list: readonly string[], flags = 'iu'): RegExp {
  return new RegExp(`(?<!\\p{L})(?:${list.join('|')})(?!\\p{L})`, flags);
}

const PRONOUN = words(['tú', 'tu', 'tus', 'te', 'ti', 'contigo', 'vos']);

// Second-person verb forms that are nothing else in Spanish (present, future, subjunctive, imperfect; a few voseo forms).
const SECOND_PERSON = words([
  'puedes', 'tienes', 'debes', 'quieres', 'necesitas', 'estás', 'eres', 'has', 'hayas', 'sabes', 'vas', 'ves', 'das', 'haces', 'dices', 'vienes',
  'usas', 'pierdes', 'recuerdas', 'registras', 'sigues', 'buscas', 'acabas', 'lees', 'escribes', 'eliges', 'vuelves', 'llegas', 'decides', 'encuentras', 'sueles', 'piensas', 'crees', 'conoces', 'trabajas', 'prefieres', 'ingresas', 'envías', 'tenías', 'podías', 'querías', 'estabas',
  'podrás', 'verás', 'recibirás', 'tendrás', 'deberás', 'habrás', 'serás', 'estarás', 'harás', 'sabrás', 'irás', 'podrías', 'deberías', 'tendrías', 'harías', 'querrías',
  'cumplas', 'uses', 'necesites', 'repases', 'apruebes', 'compartas', 'confirmes', 'envíes', 'quieras', 'puedas', 'tengas', 'hagas', 'sepas', 'estés', 'seas', 'veas', 'elijas', 'escribas', 'olvides', 'intentes', 'termines', 'completes', 'vuelvas', 'pidas', 'busques', 'borres', 'cambies', 'actives', 'descargues', 'subas', 'revises', 'leas', 'respondas', 'entres', 'inicies', 'recibas', 'obtengas', 'guardes',
  'podés', 'tenés', 'querés', 'sabés', 'sos',
]);

// The preterite "-aste/-iste" ("olvidaste", "obtuviste"), less the words that only look like it.
const PRETERITE = /(?<!\p{L})(\p{L}+(?:aste|iste))(?!\p{L})/giu;
const NOT_PRETERITE = new Set(['existe', 'consiste', 'insiste', 'persiste', 'resiste', 'subsiste', 'asiste', 'desiste', 'triste', 'chiste', 'desgaste', 'contraste', 'embiste', 'entreviste', 'entrevisten']);

// An imperative opening a sentence or following a colon, with a word after it: the same word mid-sentence is often a
// third person ("el comité revisa"), and alone it is often an adjective ("Activa", "Completa").
const IMPERATIVE_VERBS = [
  'Repasa', 'Empareja', 'Escribe', 'Elige', 'Escoge', 'Revisa', 'Vuelve', 'Espera', 'Recarga', 'Confirma', 'Sube', 'Corrige', 'Pide', 'Abre', 'Descarga', 'Cambia', 'Activa', 'Sigue', 'Busca', 'Cierra', 'Inicia', 'Comprueba', 'Selecciona', 'Indica', 'Añade', 'Agrega', 'Lee', 'Haz', 'Pon', 'Guarda', 'Intenta', 'Divide', 'Responde', 'Contesta', 'Consulta', 'Anota', 'Ingresa', 'Introduce', 'Avisa', 'Marca', 'Completa', 'Deja', 'Instala', 'Escanea', 'Quita', 'Repite', 'Usa', 'Pulsa', 'Toca', 'Envía', 'Solicita', 'Contacta', 'Recuerda', 'Mira', 'Copia', 'Imprime', 'Comparte', 'Observa', 'Piensa', 'Imagina', 'Clasifica', 'Arrastra', 'Asocia', 'Relaciona', 'Ordena', 'Verifica', 'Evita', 'Acepta', 'Borra', 'Edita', 'Crea', 'Entra', 'Accede', 'Empieza', 'Comienza', 'Continúa', 'Termina', 'Explica', 'Describe', 'Identifica', 'Compara', 'Decide', 'Escucha', 'Ten',
];
const IMPERATIVE = new RegExp(`(?:^|[.:;!?¿¡—]\\s*)(?:${IMPERATIVE_VERBS.join('|')})(?=\\s+\\p{L})`, 'iu');

// An imperative with a pronoun attached: the -ar/-er endings make "guárdelo" (usted) and "divídelo" (tú) look alike,
// so these are listed; a reflexive "-te" with its stress mark ("regístrate", "inscríbete") is found by shape.
const ENCLITIC = words([
  'inténtalo', 'complétala', 'complétalas', 'actívala', 'guárdalo', 'guárdala', 'guárdalos', 'divídelo', 'corrígelo', 'corrígelas', 'revísalo', 'revísala', 'escríbela', 'descárgalo', 'descárgala', 'pídela', 'pídelo', 'úsala', 'úsalo', 'ábrelo', 'ábrela', 'recárgala', 'elígela', 'confírmala', 'márcala', 'cámbiala', 'léela', 'envíalo', 'envíala', 'bórrala', 'bórralo', 'consúltalo', 'compártelo', 'hazlo', 'ponlo', 'dime',
]);
const REFLEXIVE_TU = /(?<!\p{L})(\p{L}*[áéíóú]\p{L}*(?:ate|ete|ite))(?!\p{L})/giu;
const NOT_REFLEXIVE = new Set(['límite', 'límites', 'intérprete', 'intérpretes', 'trámite', 'trámites']);

/**
 * Whether `text` says "tú". `imperatives: false` skips the sentence-initial imperatives, for text that describes what
 * someone does ("Escribe al perfil…" as an answer option is a third person).
 */
export function saysTu(text: string, { imperatives = true } = {}): boolean {
  if (PRONOUN.test(text) || SECOND_PERSON.test(text) || (imperatives && IMPERATIVE.test(text)) || ENCLITIC.test(text)) return true;
  if ([...text.matchAll(PRETERITE)].some((m) => !NOT_PRETERITE.has(m[1]!.toLowerCase()))) return true;
  return [...text.matchAll(REFLEXIVE_TU)].some((m) => !NOT_REFLEXIVE.has(m[1]!.toLowerCase()));
}

/** Text with a Spanish letter or a word English does not have: how English text (where "has" is English) is left alone. */
export function looksSpanish(text: string): boolean {
  return /[áéíóúñ¿¡]/i.test(text) || /\b(el|los|las|del|que|para|por|una|su|sus|es|de|tu|tus|se|lo|al|y)\b/i.test(text);
}
