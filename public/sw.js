// Capacita's service worker: reading saved courses offline and keeping progress made offline (docs/OFFLINE.md).
// Hand-written on purpose (no Workbox): the rules are Capacita's own — which pages a learner may keep, whose they
// are, wiping them at sign-out, queuing three form Actions and the xAPI post — and fit in a few kB.
//
// Storage: STATIC (public files: /_astro, the H5P player and packages, icons, the offline pages), SAVED (the signed-in
// learner's own pages: saved courses, glossary, Guía), and IndexedDB (saved courses, queued progress, whose they are).
const STATIC = 'capacita-static-v1';
const SAVED = 'capacita-saved';
const PRECACHE = ['/es/offline', '/en/offline', '/favicon.svg', '/icons/icon.svg', '/icons/icon-192.png', '/manifest.es.webmanifest', '/manifest.en.webmanifest'];
const QUEUEABLE = new Set(['learning.markDone', 'learning.practice', 'activities.answer']);
const BATCH = 50;

// Pages a learner may keep; the server must also mark the answer (Capacita-Offline: own). Never the quiz.
const KEEPABLE = [/^\/(es|en)\/courses\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?$/, /^\/(es|en)\/glossary$/, /^\/(es|en)\/guia$/, /^\/(es|en)\/guia\/[a-z_]+\.pdf$/];
const isStatic = (path) => /^\/(_astro|h5p-player|h5p|icons)\//.test(path) || path === '/favicon.svg' || path.endsWith('.webmanifest');
const keyOf = (url) => (url.pathname.endsWith('.pdf') ? url.pathname + url.search : url.pathname);
const langOf = (path) => (path.startsWith('/en/') || path === '/en' ? 'en' : 'es');

// ---- IndexedDB: courses (saved plans), queue (progress made offline), meta (whose they are) ----
let dbPromise;
function idb() {
  dbPromise ??= new Promise((resolve, reject) => {
    const open = indexedDB.open('capacita-offline', 1);
    open.onupgradeneeded = () => {
      for (const [name, keyPath] of [['courses', 'key'], ['queue', 'id'], ['meta', 'name']]) open.result.createObjectStore(name, { keyPath });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  return dbPromise;
}
async function store(name, mode, work) {
  const db = await idb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const request = work(tx.objectStore(name));
    tx.oncomplete = () => resolve(request?.result);
    tx.onerror = () => reject(tx.error);
  });
}
const all = (name) => store(name, 'readonly', (s) => s.getAll());
const getOwner = async () => (await store('meta', 'readonly', (s) => s.get('owner')))?.value ?? null;
const setOwner = (value) => store('meta', 'readwrite', (s) => s.put({ name: 'owner', value }));
const courseKey = (lang, course) => `${lang}/${course}`;

async function broadcast(message) {
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage(message);
}

// ---- install: the offline pages and icons, fetched without the session so they hold nobody's name ----
self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC);
      for (const url of PRECACHE) {
        const response = await fetch(url, { credentials: 'omit' });
        if (response.ok) await keepWithAssets(cache, url, response);
      }
      await self.skipWaiting();
    })(),
  );
});
self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('capacita-static-') && name !== STATIC) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

/** Keeps a response and, for a page or a script, the /_astro files it loads (styles, scripts, their chunks). */
async function keepWithAssets(cache, url, response, seen = new Set()) {
  const type = response.headers.get('content-type') ?? '';
  const text = type.includes('html') || type.includes('javascript') ? await response.clone().text() : null;
  await cache.put(url, response);
  if (text === null) return 0;
  let bytes = 0;
  const found = new Set([...text.matchAll(/\/_astro\/[\w./-]+?\.(?:js|css)/g)].map((m) => m[0]));
  if (type.includes('javascript')) for (const m of text.matchAll(/["']\.\/([\w.-]+\.js)["']/g)) found.add(new URL(m[1], new URL(url, location.origin)).pathname);
  const assets = await caches.open(STATIC);
  for (const asset of found) {
    if (seen.has(asset)) continue;
    seen.add(asset);
    if (await assets.match(asset)) continue;
    const r = await fetch(asset);
    if (!r.ok) continue;
    bytes += (await r.clone().arrayBuffer()).byteLength;
    bytes += await keepWithAssets(assets, asset, r, seen);
  }
  return bytes;
}

// ---- requests ----
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (request.method === 'POST') {
    const action = url.searchParams.get('_action');
    if (action === 'auth.signOut') event.respondWith(signOut(request));
    else if ((action && QUEUEABLE.has(action)) || url.pathname === '/api/xapi') event.respondWith(postOrQueue(request, url, action));
    return;
  }
  if (request.method !== 'GET' || url.pathname.startsWith('/api/')) return;
  if (isStatic(url.pathname)) event.respondWith(staticFile(request, url));
  else if (request.mode === 'navigate' || KEEPABLE.some((p) => p.test(url.pathname))) event.respondWith(networkFirst(request, url));
});

async function staticFile(request, url) {
  const cache = await caches.open(STATIC);
  // /_astro files never change under one name; the H5P files may be edited, so the network comes first for them.
  if (url.pathname.startsWith('/_astro/')) {
    const hit = await cache.match(url.pathname);
    if (hit) return hit;
  }
  try {
    const response = await fetch(request);
    if (response.ok && response.status === 200) await cache.put(url.pathname, response.clone());
    return response;
  } catch (error) {
    const hit = await cache.match(url.pathname);
    if (hit) return hit;
    throw error;
  }
}

/** Whether this answer may be kept on the device: a path we keep, marked by the server, of a course saved here. */
async function mayKeep(url, response) {
  // A filtered Guía is the same page filtered by its script; only a sheet's ?country= names another copy.
  if ((url.search && !url.pathname.endsWith('.pdf')) || response.status !== 200 || response.headers.get('capacita-offline') !== 'own') return null;
  const match = KEEPABLE.map((p) => url.pathname.match(p)).find(Boolean);
  if (!match) return null;
  if (!url.pathname.includes('/courses/')) return true;
  if (match[3] === 'quiz') return null;
  const saved = await store('courses', 'readonly', (s) => s.get(courseKey(match[1], match[2])));
  if (!saved || saved.learner !== (await getOwner())) return null;
  // A page of a newer course version: the course page's control updates the copy.
  const version = response.headers.get('capacita-course-version');
  if (version && version !== saved.version && !saved.stale) await store('courses', 'readwrite', (s) => s.put({ ...saved, stale: true }));
  return true;
}

async function networkFirst(request, url) {
  try {
    const response = await fetch(request);
    if (await mayKeep(url, response)) await (await caches.open(SAVED)).put(keyOf(url), response.clone());
    return response;
  } catch {
    const saved = await (await caches.open(SAVED)).match(keyOf(url));
    if (saved) return saved;
    const page = await (await caches.open(STATIC)).match(`/${langOf(url.pathname)}/offline`);
    return page ?? Response.error();
  }
}

// ---- progress made offline ----
async function postOrQueue(request, url, action) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch {
    const owner = await getOwner();
    if (!owner) return networkFailure(request, url);
    const base = { id: crypto.randomUUID(), owner, lang: langOf(url.pathname === '/api/xapi' ? new URL(request.referrer || location.origin).pathname : url.pathname), queuedAt: Date.now() };
    if (!action) {
      const report = await copy.json();
      await store('queue', 'readwrite', (s) => s.put({ ...base, kind: 'xapi', report }));
      await broadcast({ type: 'queued' });
      const verb = String(report?.statement?.verb?.id ?? '');
      const completed = verb.endsWith('/completed') || report?.statement?.result?.completion === true;
      return Response.json({ queued: true, result: { completed } }, { status: 202 });
    }
    const fields = [...(await copy.formData())].filter(([, v]) => typeof v === 'string');
    await store('queue', 'readwrite', (s) => s.put({ ...base, kind: 'form', action, fields }));
    return Response.redirect(`${location.origin}${await nextPage(url, action, fields)}#offline-queued`, 303);
  }
}

/** Where the learner goes after a queued post: the next lesson after "done" (as online), else back to the page. */
async function nextPage(url, action, fields) {
  if (action !== 'learning.markDone') return url.pathname;
  const field = (name) => fields.find(([n]) => n === name)?.[1];
  const saved = await store('courses', 'readonly', (s) => s.get(courseKey(langOf(url.pathname), field('course'))));
  const pages = saved?.pages.map((p) => p.url) ?? [];
  return pages[pages.indexOf(url.pathname) + 1] ?? url.pathname;
}

async function networkFailure(request, url) {
  if (request.mode !== 'navigate') return Response.error();
  return (await (await caches.open(STATIC)).match(`/${langOf(url.pathname)}/offline`)) ?? Response.error();
}

let syncing = null;
let again = false;
/** One sync at a time; a request during one (the connection just came back) runs another right after it. */
function sync(learner) {
  if (syncing) {
    again = true;
    return syncing;
  }
  syncing = (async () => {
    do {
      again = false;
      await sendQueue(learner);
    } while (again);
  })().finally(() => (syncing = null));
  return syncing;
}

async function sendQueue(learner) {
  const items = (await all('queue')).filter((item) => item.owner === learner).sort((a, b) => a.queuedAt - b.queuedAt);
  if (items.length === 0) return;
  let applied = 0;
  const rejected = [];
  for (const lang of ['es', 'en']) {
    const mine = items.filter((item) => item.lang === lang);
    for (let i = 0; i < mine.length; i += BATCH) {
      const batch = mine.slice(i, i + BATCH).map(({ owner, ...item }) => item);
      const response = await postBatch(learner, lang, batch);
      if (!response) return; // Still offline: everything stays queued.
      if (!response.ok) {
        if (response.status === 409) rejected.push((await response.json()).message);
        break;
      }
      for (const answer of (await response.json()).answers) {
        if (!answer.id) continue;
        await store('queue', 'readwrite', (s) => s.delete(answer.id));
        if (answer.outcome === 'applied') applied++;
        else rejected.push(answer.message);
      }
    }
  }
  // Kept until a page has shown it: the page that asked may be navigating away as the answer arrives.
  const notice = { type: 'synced', applied, rejected };
  await store('meta', 'readwrite', (s) => s.put({ name: 'notice', value: notice }));
  await broadcast(notice);
}

/** The connection often comes back in steps (the page hears "online" before requests get through): try a few times. */
async function postBatch(learner, lang, items) {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await fetch('/api/offline-sync', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept-Language': lang },
        body: JSON.stringify({ learner, items }),
      });
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1500 * (attempt + 1)));
    }
  }
  return null;
}

/** Sign-out: send what is queued while the session still exists, then forget this learner's pages. */
async function signOut(request) {
  const owner = await getOwner();
  if (owner) await sync(owner).catch(() => {});
  try {
    return await fetch(request);
  } finally {
    await forget();
  }
}

async function forget() {
  await caches.delete(SAVED);
  await store('courses', 'readwrite', (s) => s.clear());
  await store('meta', 'readwrite', (s) => s.delete('notice'));
  await setOwner(null);
}

// ---- the pages talk to the worker: hello (whose page), sync, and the course page's save/status/remove ----
self.addEventListener('message', (event) => {
  const message = event.data ?? {};
  const reply = (data) => event.ports[0]?.postMessage(data);
  event.waitUntil(
    (async () => {
      if (message.type === 'hello' || message.type === 'sync') {
        const learner = Number.isInteger(message.learner) ? message.learner : null;
        const owner = await getOwner();
        // Another account on this device: what the previous one kept is not theirs to read.
        if (learner && owner && learner !== owner) await forget();
        if (learner && learner !== owner) await setOwner(learner);
        if (learner && message.type === 'sync') await sync(learner);
        const notice = (await store('meta', 'readonly', (s) => s.get('notice')))?.value;
        if (notice) event.source?.postMessage(notice);
      } else if (message.type === 'seen') {
        await store('meta', 'readwrite', (s) => s.delete('notice'));
      } else if (message.type === 'status') {
        reply({ saved: (await store('courses', 'readonly', (s) => s.get(message.key))) ?? null, queued: (await all('queue')).length });
      } else if (message.type === 'list') {
        const saved = await caches.open(SAVED);
        const lang = message.lang === 'en' ? 'en' : 'es';
        reply({ courses: (await all('courses')).filter((c) => c.lang === lang), glossary: Boolean(await saved.match(`/${lang}/glossary`)), guia: Boolean(await saved.match(`/${lang}/guia`)) });
      } else if (message.type === 'save') {
        await saveCourse(message.plan, reply);
      } else if (message.type === 'remove') {
        const record = await store('courses', 'readonly', (s) => s.get(message.key));
        const saved = await caches.open(SAVED);
        for (const page of record?.pages ?? []) await saved.delete(page.url);
        await store('courses', 'readwrite', (s) => s.delete(message.key));
        reply({ removed: true });
      }
    })(),
  );
});

async function saveCourse(plan, reply) {
  if (!Number.isInteger(plan?.learner)) return reply({ failed: true });
  const owner = await getOwner();
  if (owner !== plan.learner) {
    if (owner) await forget();
    await setOwner(plan.learner);
  }
  const key = courseKey(plan.lang, plan.course);
  const record = { key, course: plan.course, lang: plan.lang, title: plan.title, version: plan.version, learner: plan.learner, pages: plan.pages, bytes: 0, savedAt: Date.now() };
  const previous = await store('courses', 'readonly', (s) => s.get(key));
  // Recorded first (as incomplete) so the pages fetched below count as pages of a saved course.
  await store('courses', 'readwrite', (s) => s.put({ ...(previous ?? record), version: previous?.version ?? '', learner: plan.learner, pages: plan.pages, stale: true }));
  const urls = [...plan.pages.map((p) => p.url), ...plan.files];
  const saved = await caches.open(SAVED);
  const assets = await caches.open(STATIC);
  const seen = new Set();
  try {
    for (const [index, url] of urls.entries()) {
      const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      record.bytes += (await response.clone().arrayBuffer()).byteLength;
      if (isStatic(url)) {
        record.bytes += await keepWithAssets(assets, url, response, seen);
      } else {
        if (!(await mayKeep(new URL(url, location.origin), response))) throw new Error(`${url}: not for offline`);
        record.bytes += await keepWithAssets(saved, url, response, seen);
      }
      reply({ progress: { done: index + 1, total: urls.length } });
    }
    await store('courses', 'readwrite', (s) => s.put(record));
    reply({ saved: record });
  } catch {
    if (previous) await store('courses', 'readwrite', (s) => s.put({ ...previous, stale: true }));
    else await store('courses', 'readwrite', (s) => s.delete(key));
    reply({ failed: true });
  }
}
