/** A block of UI strings: the Spanish text is the source; English must have exactly the same keys. */
export function defineMessages<const T extends Record<string, string>>(es: T, en: { [K in keyof T]: string }) {
  return { es, en };
}
