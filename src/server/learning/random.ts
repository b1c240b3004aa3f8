// Randomness for learning: crypto randomness for quiz papers (nobody may predict a paper), and a seedable generator
// for things that must come out the same every time — the demo population, and practice questions shown identically
// on every request.

/** A source of numbers in [0, 1). */
export type Random = () => number;

export const secureRandom: Random = () => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;

/** Fisher–Yates: a uniformly shuffled copy. */
export function shuffle<T>(items: readonly T[], random: Random = secureRandom): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** mulberry32: a small, fast PRNG returning numbers in [0, 1). */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from a text (FNV-1a), so a question id always gives the same sequence. */
export function seedFromText(text: string): number {
  let hash = 2166136261;
  for (const ch of text) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  return hash;
}
