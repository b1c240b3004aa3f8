import { describe, expect, it } from 'vitest';
import { phoneParts } from '../../src/server/phone-link.ts';

describe('tap-to-call numbers', () => {
  it('turns a short code and an international number into tel: links', () => {
    expect(phoneParts('1545')).toEqual([{ text: '1545', href: 'tel:1545' }]);
    expect(phoneParts('+502 2411-9191')).toEqual([{ text: '+502 2411-9191', href: 'tel:+50224119191' }]);
    expect(phoneParts('(506) 2222.3333')).toEqual([{ text: '(506) 2222.3333', href: 'tel:5062222333' + '3' }]);
  });

  it('links each number of a list and leaves the words between them as text', () => {
    expect(phoneParts('1545 / +502 2411-9191')).toEqual([
      { text: '1545', href: 'tel:1545' },
      { text: ' / ', href: null },
      { text: '+502 2411-9191', href: 'tel:+50224119191' },
    ]);
    expect(phoneParts('911 o 2222-3333').map((p) => p.href)).toEqual(['tel:911', null, 'tel:22223333']);
  });

  it('does not link text that is not a number', () => {
    expect(phoneParts('denuncias@fiscalia.gob.gt')).toEqual([{ text: 'denuncias@fiscalia.gob.gt', href: null }]);
    expect(phoneParts('Línea 1545 (24 horas)').every((p) => p.href === null)).toBe(true);
    expect(phoneParts('12')[0]!.href).toBeNull();
  });
});
