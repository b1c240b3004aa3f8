// Text as the Guía's search compares it, on the server and in the browser alike: "Niña, ACCIÓN" → "nina, accion".
// What an officer types on a phone rarely carries the accents.
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a query, folded; an indicator matches when it contains every one, in any order. */
export function queryWords(query: string): string[] {
  return foldText(query).split(/\s+/).filter(Boolean);
}
