import { dictionary } from '@zxcvbn-ts/language-common';

// zxcvbn's list of the most used passwords (≈49 000, from breach corpora), plus a few that this platform's
// audience would reach for first.
const LOCAL = ['capacita2026', 'contraseña123', 'contrasena123', 'coalicionregional', 'tratadepersonas', 'guatemala2026', 'honduras2026'];

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  ...(dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()),
  ...LOCAL,
]);
