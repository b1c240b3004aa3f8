// Rendered HTML that is the same for every reader (a lesson's body), kept per process. Bounded: the oldest entry goes
// when it is full. Keys say what the HTML depends on (lessonBodyCacheKey below).
export class FragmentCache {
  readonly #entries = new Map<string, string>();
  readonly maxEntries: number;
  constructor(maxEntries: number) {
    this.maxEntries = maxEntries;
  }

  get(key: string): string | undefined {
    return this.#entries.get(key);
  }

  set(key: string, html: string): void {
    if (this.maxEntries === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, html);
    if (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** 27 lessons × 2 languages today; room for a catalogue ten times that. The dev server reloads content: no cache. */
export const fragmentCache = new FragmentCache(import.meta.env.DEV ? 0 : 600);

/** Components whose output depends on more than the lesson: islands (H5P), a national body's editable hotline. */
const PER_REQUEST_COMPONENTS = /<(H5P|Hotline)\b/;

/**
 * The key under which a lesson's rendered body may be reused, or null when it must be rendered for this request: on a
 * form post (a knowledge check's feedback) and for lessons with components that read live data. Knowledge checks post
 * to the page's own path and show a button only to people signed in, so both are part of the key.
 */
export function lessonBodyCacheKey(lesson: { id: string; digest?: string | number; body?: string }, request: { method: string; pathname: string; signedIn: boolean }): string | null {
  if (request.method !== 'GET' || PER_REQUEST_COMPONENTS.test(lesson.body ?? '')) return null;
  return `lesson:${lesson.id}:${lesson.digest ?? ''}:${request.pathname}:${request.signedIn ? 'in' : 'out'}`;
}
