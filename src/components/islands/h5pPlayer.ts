// Browser side of <H5P>: loads the h5p-standalone player when an activity scrolls into view, one activity at a
// time, resumes the learner's saved state, saves it as they go, and posts top-level answered/completed xAPI
// statements to /api/xapi. A broken package or a missing library file ends in a translated error, not a spinner; a
// slow link is told apart from a broken package: the player keeps waiting as long as files keep arriving.

const PLAYER = '/h5p-player';
const PACKAGES = '/h5p';
/** After this long the learner is told the connection is slow (the activity is still loading). */
const SLOW_NOTICE_MS = 8_000;
/**
 * Loading gives up only when no file has finished arriving for this long: on a slow link each file takes a while but
 * the next one comes, so it waits (a fixed 30 s timeout used to blame "a damaged package" at a border post).
 */
const STALL_MS = 90_000;
const SAVE_DELAY_MS = 1_000;
const CONTENT_ID_EXTENSION = 'http://h5p.org/x-api/h5p-local-content-id';
const RECORDED_VERBS = new Set(['answered', 'completed']);

interface H5PInstance {
  contentId: string;
  getCurrentState?: () => unknown;
}
interface XAPIEvent {
  data: { statement: XAPIStatement };
}
interface XAPIStatement {
  verb?: { id?: string };
  object?: { definition?: { extensions?: Record<string, unknown> } };
  context?: { contextActivities?: { parent?: unknown[] } };
  [key: string]: unknown;
}
interface H5PGlobal {
  instances?: H5PInstance[];
  externalDispatcher?: { on: (type: string, listener: (event: XAPIEvent) => void) => void };
}
interface PlayerConstructor {
  new (element: HTMLElement, options: Record<string, unknown>): Promise<unknown>;
}
declare global {
  interface Window {
    H5P?: H5PGlobal;
    H5PStandalone?: { H5P: PlayerConstructor };
  }
}

/** Activities on this page, by content id (= package id). */
const activities = new Map<string, HTMLElement>();
const lastSavedState = new Map<string, string>();
const saveTimers = new Map<string, ReturnType<typeof setTimeout>>();
let queue: Promise<void> = Promise.resolve();
let playerScript: Promise<PlayerConstructor> | undefined;
let dispatcherHooked = false;
let observer: IntersectionObserver | undefined;

export function mountH5PActivities(): void {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer!.unobserve(entry.target);
        enqueue(entry.target as HTMLElement);
      }
    },
    { rootMargin: '300px 0px' },
  );
  for (const section of document.querySelectorAll<HTMLElement>('section[data-h5p-id]:not([data-h5p-mounted])')) {
    section.dataset.h5pMounted = 'true';
    observer.observe(section);
  }
  window.addEventListener('pagehide', saveAllNow);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') saveAllNow();
  });
}

/** Players are created one after another: the core initialises every pending container when one finishes loading. */
function enqueue(section: HTMLElement): void {
  setStatus(section, 'loading', section.dataset.msgLoading ?? '');
  queue = queue.then(() => start(section)).catch(() => undefined);
}

async function start(section: HTMLElement): Promise<void> {
  const id = section.dataset.h5pId!;
  const container = section.querySelector<HTMLElement>('.h5p-activity__player')!;
  container.replaceChildren();
  try {
    const [Player, savedState] = await Promise.all([loadPlayer(), fetchSavedState(section, id)]);
    const options = {
      id,
      h5pJsonPath: `${PACKAGES}/${id}`,
      librariesPath: `${PACKAGES}/libraries`,
      frameJs: `${PLAYER}/frame.bundle.js`,
      frameCss: `${PLAYER}/styles/h5p.css`,
      // div, not iframe: the iframe embed writes inline scripts, which the site's Content-Security-Policy forbids.
      embedType: 'div',
      xAPIObjectIRI: `${location.origin}${PACKAGES}/${id}`,
      metadata: { title: section.dataset.h5pTitle ?? '', license: 'U', defaultLanguage: section.dataset.h5pLanguage ?? 'es' },
      // The core hands a saved state to the content type only when saveFreq is set; saving itself is done here.
      saveFreq: 60,
      contentUserData: savedState ? [{ state: savedState }] : undefined,
      frame: false,
      copyright: false,
      export: false,
      embed: false,
      icon: false,
      fullScreen: false,
    };
    if (savedState) lastSavedState.set(id, savedState);
    activities.set(id, section);
    await failOnMissingFiles(new Player(container, options), section);
    if (!instanceOf(id)) throw new Error(`H5P content ${id} did not start`);
    hookDispatcher();
    // The server-rendered form of the same activity (our own types) gives way to the player.
    section.querySelector('.h5p-activity__fallback')?.remove();
    setStatus(section, 'ready', '');
    section.dataset.h5pState = 'ready';
  } catch (error) {
    activities.delete(id);
    console.error(`H5P activity ${id}:`, error);
    showError(section, error instanceof StalledError ? section.dataset.msgStalled : section.dataset.msgBroken);
  }
}

function loadPlayer(): Promise<PlayerConstructor> {
  playerScript ??= new Promise<PlayerConstructor>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = `${PLAYER}/main.bundle.js`;
    script.onload = () => (window.H5PStandalone ? resolve(window.H5PStandalone.H5P) : reject(new Error('player did not load')));
    script.onerror = () => reject(new Error('player script missing'));
    document.head.append(script);
  }).catch((error: unknown) => {
    playerScript = undefined;
    throw error;
  });
  return playerScript;
}

/** Loading stopped making progress: not the package's fault, so the message says so. */
class StalledError extends Error {}

/**
 * The player never settles when one of a package's library files is missing (it waits for the script's load event
 * forever): a failed script or stylesheet of the player rejects instead. A slow link is announced and waited for;
 * only a load with no file arriving for STALL_MS gives up.
 */
function failOnMissingFiles(loading: Promise<unknown>, section: HTMLElement): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let lastArrival = started;
    const arrivals = new PerformanceObserver(() => (lastArrival = performance.now()));
    arrivals.observe({ type: 'resource' });
    const onError = (event: Event) => {
      const target = event.target;
      if ((target instanceof HTMLScriptElement || target instanceof HTMLLinkElement) && target.dataset.h5p) {
        // Removed so that "try again" requests the file again instead of taking it for loaded.
        target.remove();
        reject(new Error(`missing file ${target.dataset.h5p}`));
      }
    };
    const watch = setInterval(() => {
      const now = performance.now();
      if (now - lastArrival > STALL_MS) reject(new StalledError('no file arrived'));
      else if (now - started > SLOW_NOTICE_MS && section.querySelector('.h5p-activity__status')?.getAttribute('data-kind') === 'loading') {
        setStatus(section, 'slow', section.dataset.msgSlow ?? '');
      }
    }, 1_000);
    document.addEventListener('error', onError, true);
    loading.then(resolve, reject).finally(() => {
      clearInterval(watch);
      arrivals.disconnect();
      document.removeEventListener('error', onError, true);
    });
  });
}

function instanceOf(id: string): H5PInstance | undefined {
  return window.H5P?.instances?.find((instance) => String(instance.contentId) === id);
}

async function fetchSavedState(section: HTMLElement, id: string): Promise<string | null> {
  if (section.dataset.signedIn !== 'true') return null;
  try {
    const response = await fetch(`/api/h5p-state/${encodeURIComponent(id)}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!response.ok) return null;
    const body = (await response.json()) as { state?: unknown };
    return typeof body.state === 'string' ? body.state : null;
  } catch {
    return null;
  }
}

/** One listener for every activity on the page; statements are routed by their content id. */
function hookDispatcher(): void {
  const dispatcher = window.H5P?.externalDispatcher;
  if (dispatcherHooked || !dispatcher) return;
  dispatcherHooked = true;
  dispatcher.on('xAPI', (event) => {
    const statement = event.data.statement;
    const id = String(statement.object?.definition?.extensions?.[CONTENT_ID_EXTENSION] ?? '');
    const section = activities.get(id);
    if (!section) return;
    scheduleSave(id);
    const verb = statement.verb?.id?.split('/').pop() ?? '';
    if (!RECORDED_VERBS.has(verb) || statement.context?.contextActivities?.parent) return;
    void postStatement(section, id, statement);
  });
}

async function postStatement(section: HTMLElement, id: string, statement: XAPIStatement, attempt = 1): Promise<void> {
  if (section.dataset.signedIn !== 'true') return;
  const body = JSON.stringify({ activityId: id, courseId: section.dataset.courseId || undefined, statement });
  try {
    const response = await fetch('/api/xapi', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', ...pageLanguage() }, body });
    if (!response.ok) {
      if (response.status >= 500 && attempt < 3) return retryLater(() => postStatement(section, id, statement, attempt + 1), attempt);
      setStatus(section, 'error', (await refusalMessage(response)) ?? section.dataset.msgNotSaved ?? '');
      return;
    }
    const { result } = (await response.json()) as { result?: { completed?: boolean } };
    if (result?.completed) markDone(section, id);
    saveNow(id);
  } catch {
    if (attempt < 3) return retryLater(() => postStatement(section, id, statement, attempt + 1), attempt);
    setStatus(section, 'error', section.dataset.msgNotSaved ?? '');
  }
}

/** Refusals come translated into the language of the page the learner reads, not the browser's. */
function pageLanguage(): Record<string, string> {
  return document.documentElement.lang ? { 'Accept-Language': document.documentElement.lang } : {};
}

/** The server's translated reason for a refusal (not enrolled, over a quota…), when it gave one. */
async function refusalMessage(response: Response): Promise<string | null> {
  try {
    const body = (await response.json()) as { message?: unknown };
    return typeof body.message === 'string' && body.message ? body.message : null;
  } catch {
    return null;
  }
}

function retryLater(task: () => Promise<void>, attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(() => resolve(task()), 2_000 * attempt));
}

function markDone(section: HTMLElement, id: string): void {
  const wasDone = section.dataset.h5pDone === 'true';
  section.dataset.h5pDone = 'true';
  const done = section.querySelector<HTMLElement>('.h5p-activity__done');
  if (done) done.hidden = false;
  setStatus(section, 'ready', '');
  if (!wasDone) {
    section.dispatchEvent(
      new CustomEvent('capacita:h5p-completed', { bubbles: true, detail: { activityId: id, required: section.dataset.h5pRequired === 'true' } }),
    );
  }
}

function scheduleSave(id: string): void {
  clearTimeout(saveTimers.get(id));
  saveTimers.set(id, setTimeout(() => saveNow(id), SAVE_DELAY_MS));
}

function saveAllNow(): void {
  for (const id of activities.keys()) saveNow(id, true);
}

/** Posts the activity's current state when it changed; `keepalive` lets the request outlive the page. */
function saveNow(id: string, keepalive = false): void {
  clearTimeout(saveTimers.get(id));
  const section = activities.get(id);
  const instance = instanceOf(id);
  if (!section || section.dataset.signedIn !== 'true' || typeof instance?.getCurrentState !== 'function') return;
  let state: string;
  try {
    state = JSON.stringify(instance.getCurrentState() ?? null);
  } catch {
    return;
  }
  if (state === lastSavedState.get(id)) return;
  lastSavedState.set(id, state);
  void fetch(`/api/h5p-state/${encodeURIComponent(id)}`, {
    method: 'POST',
    credentials: 'same-origin',
    keepalive,
    headers: { 'Content-Type': 'application/json', ...pageLanguage() },
    body: JSON.stringify({ state }),
  }).catch(() => lastSavedState.delete(id));
}

function setStatus(section: HTMLElement, kind: 'loading' | 'slow' | 'ready' | 'error', text: string): void {
  const status = section.querySelector<HTMLElement>('.h5p-activity__status');
  if (!status) return;
  status.dataset.kind = kind;
  status.classList.toggle('alert', kind === 'error');
  status.classList.toggle('error', kind === 'error');
  status.replaceChildren(text);
}

function showError(section: HTMLElement, message = section.dataset.msgBroken): void {
  section.dataset.h5pState = 'error';
  const container = section.querySelector<HTMLElement>('.h5p-activity__player');
  container?.replaceChildren();
  setStatus(section, 'error', message ?? '');
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.className = 'button secondary';
  retry.textContent = section.dataset.msgRetry ?? 'Retry';
  retry.addEventListener('click', () => enqueue(section));
  section.querySelector('.h5p-activity__status')?.append(' ', retry);
}
