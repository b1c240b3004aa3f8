import { describe, expect, it } from 'vitest';
import { FragmentCache, lessonBodyCacheKey } from '../../src/app/fragment-cache.ts';

describe('FragmentCache', () => {
  it('keeps at most maxEntries, dropping the one stored longest ago', () => {
    const cache = new FragmentCache(2);
    cache.set('a', '<p>a</p>');
    cache.set('b', '<p>b</p>');
    cache.set('a', '<p>a2</p>'); // storing again makes it the newest
    cache.set('c', '<p>c</p>');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('<p>a2</p>');
    expect(cache.get('c')).toBe('<p>c</p>');
    expect(cache.size).toBe(2);
  });
  it('keeps nothing with room for nothing (the dev server)', () => {
    const cache = new FragmentCache(0);
    cache.set('a', 'x');
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('lessonBodyCacheKey', () => {
  const lesson = { id: 'basico/es/que-es', digest: 'd1', body: 'Texto con <Term id="trata">trata</Term> y <KnowledgeCheck id="kc1" />' };
  const get = { method: 'GET', pathname: '/es/courses/basico/que-es', signedIn: true };
  it('reuses a plain lesson body per lesson version, path and sign-in state', () => {
    const key = lessonBodyCacheKey(lesson, get);
    expect(key).not.toBeNull();
    expect(lessonBodyCacheKey({ ...lesson, digest: 'd2' }, get)).not.toBe(key);
    expect(lessonBodyCacheKey(lesson, { ...get, pathname: '/es/courses/basico/que-es/' })).not.toBe(key);
    expect(lessonBodyCacheKey(lesson, { ...get, signedIn: false })).not.toBe(key);
  });
  it('renders per request on a form post and with live components (activities, hotline)', () => {
    expect(lessonBodyCacheKey(lesson, { ...get, method: 'POST' })).toBeNull();
    expect(lessonBodyCacheKey({ ...lesson, body: 'A <H5P id="x" />' }, get)).toBeNull();
    expect(lessonBodyCacheKey({ ...lesson, body: 'Llame: <Hotline />' }, get)).toBeNull();
  });
});
