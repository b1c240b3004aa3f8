// Which encoding a CSV file was saved in. Excel on Windows saves "CSV" in the machine's ANSI code page (Windows-1252
// for Spanish and English), "CSV UTF-8" with a byte-order mark, and "Unicode text" as UTF-16; decoding all of them as
// UTF-8 turned "institución" into "instituci�n" (no column matched) and names into "Jos� P�rez".
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

/**
 * The bytes as text: a byte-order mark decides; without one, bytes that are valid UTF-8 are UTF-8 (a Windows-1252
 * file with any accented letter is not: "ó" is the lone byte 0xF3), and anything else is read as Windows-1252, in which
 * every byte is a character — so the result never holds a replacement character that the file did not.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** U+FFFD: a character that an earlier conversion could not read and replaced — the text it stood for is lost. */
export function hasLostCharacters(text: string): boolean {
  return text.includes('\uFFFD');
}
