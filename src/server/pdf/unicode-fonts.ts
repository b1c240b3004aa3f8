// The Unicode font every PDF of the platform is set in: Noto Sans (SIL Open Font License, from the
// @expo-google-fonts/noto-sans package), regular and bold, embedded as subsets — so names and texts in Latin, Greek
// or Cyrillic script print as typed and copy back out. Certificates and the Guía de Indicadores share it.
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

/**
 * fontkit 2 for pdf-lib. pdf-lib's own fork (@pdf-lib/fontkit 1.1) subsets Noto Sans wrongly — most letters render
 * blank, though the text still extracts — while fontkit 2's subsetter is right. pdf-lib asks the subset for a stream
 * (fontkit 1's API); fontkit 2 encodes in one call, so the stream is that one chunk.
 */
const fontEngine = {
  create(bytes: Uint8Array) {
    const font = fontkit.create(Buffer.from(bytes)) as fontkit.Font;
    const createSubset = font.createSubset.bind(font);
    return Object.assign(font, {
      createSubset() {
        const subset = createSubset();
        return Object.assign(subset, {
          encodeStream() {
            const stream = new EventEmitter();
            queueMicrotask(() => {
              stream.emit('data', subset.encode());
              stream.emit('end');
            });
            return stream;
          },
        });
      },
    });
  },
};

const require = createRequire(import.meta.url);
let fonts: Promise<{ regular: Uint8Array; bold: Uint8Array }> | undefined;

/** The two font files, read once per process. */
function fontFiles() {
  fonts ??= Promise.all([
    readFile(require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf')),
    readFile(require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf')),
  ]).then(([regular, bold]) => ({ regular, bold }));
  return fonts;
}

/** Splits text into lines no wider than `width` at `size`, breaking between words. */
export function wrapText(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) > width && line) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

/** Registers the font engine on `pdf` and embeds both weights; only the glyphs the document uses are kept. */
export async function embedUnicodeFonts(pdf: PDFDocument): Promise<{ regular: PDFFont; bold: PDFFont }> {
  pdf.registerFontkit(fontEngine as unknown as Parameters<typeof pdf.registerFontkit>[0]);
  const files = await fontFiles();
  // Subset: a few kilobytes instead of 600.
  const [regular, bold] = await Promise.all([pdf.embedFont(files.regular, { subset: true }), pdf.embedFont(files.bold, { subset: true })]);
  return { regular, bold };
}
