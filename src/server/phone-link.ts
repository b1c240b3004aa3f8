// Hotline and referral numbers are typed by each national body as free text ("1545", "+502 2411-9191 / 110").
// On a phone a number is only useful as a tap-to-call link, so the text is cut into its numbers and each gets a tel: URI.
export interface PhonePart {
  text: string;
  /** tel: URI when the part is a dialable number, else null (printed as it is). */
  href: string | null;
}

// Between numbers: a slash, a comma or semicolon, or the word "o"/"or"/"y"/"and".
const SEPARATOR = /(\s*[/,;]\s*|\s+(?:o|or|y|and)\s+)/i;
// A number as people write it: digits with spaces, dots, dashes or parentheses, and an optional leading +.
const NUMBER = /^\+?[\d\s().-]+$/;

export function phoneParts(text: string): PhonePart[] {
  return text.split(SEPARATOR).filter((part) => part !== '').map((part) => {
    const digits = part.replace(/\D/g, '');
    const dialable = NUMBER.test(part.trim()) && digits.length >= 3 && digits.length <= 15;
    return { text: part, href: dialable ? `tel:${part.trim().startsWith('+') ? '+' : ''}${digits}` : null };
  });
}
