import { describe, expect, it } from 'vitest';
import { isErrorReference, logUnexpectedError, newErrorReference } from '../../src/server/http/error-reference.ts';

describe('error references', () => {
  it('are short, unambiguous when read aloud, and different each time', () => {
    const many = Array.from({ length: 500 }, newErrorReference);
    for (const reference of many) {
      expect(reference).toMatch(/^E-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(reference.slice(2)).not.toMatch(/[ILOU]/);
      expect(isErrorReference(reference)).toBe(true);
    }
    expect(new Set(many).size).toBe(many.length);
    expect(isErrorReference('E-ABCD-EFG')).toBe(false);
    expect(isErrorReference('<b>E-ABCD-EFGH</b>')).toBe(false);
  });

  it('are logged on one line with the request, followed by the stack of the error', () => {
    const lines: string[] = [];
    const reference = logUnexpectedError(new Error('no such table: countries'), { method: 'GET', path: '/en/register' }, (line) => lines.push(line));
    expect(lines).toHaveLength(1);
    const [head, second] = lines[0]!.split('\n');
    expect(head).toBe(`[error ${reference}] GET /en/register`);
    expect(second).toBe('Error: no such table: countries');
  });
});
