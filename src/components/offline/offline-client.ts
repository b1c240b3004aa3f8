// Runs on every page (kept small: a lesson's first visit has a weight budget): registers the service worker once the
// page has loaded, tells it whose page this is, shows the offline banner, and asks the worker to send progress made
// offline when the connection returns. Everything else lives in the worker (public/sw.js).
export function startOfflineSupport(): void {
  const banner = document.getElementById('offline-banner');
  if (!banner) return;
  const learner = banner.dataset.learner ? Number(banner.dataset.learner) : null;
  const say = (text: string, extra: string[] = []) => {
    banner.replaceChildren();
    if (!text) return;
    const p = document.createElement('p');
    p.textContent = text;
    banner.append(p);
    if (extra.length > 0) {
      const list = document.createElement('ul');
      for (const item of extra) list.append(Object.assign(document.createElement('li'), { textContent: item }));
      banner.append(list);
    }
  };
  watchAttendanceMarks(learner, banner.dataset.msgSignOutUnsent ?? '');
  const showConnection = () => say(navigator.onLine ? '' : (banner.dataset.msgOffline ?? ''));
  addEventListener('offline', showConnection);
  showConnection();
  if (location.hash === '#offline-queued') say(banner.dataset.msgQueued ?? '');
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: string; applied?: number; rejected?: string[] };
    if (data.type === 'queued') say(banner.dataset.msgQueued ?? '');
    if (data.type !== 'synced') return;
    if (data.rejected && data.rejected.length > 0) say(banner.dataset.msgRejected ?? '', data.rejected);
    else if (data.applied) say(banner.dataset.msgSynced ?? '');
    (event.source as ServiceWorker | null)?.postMessage({ type: 'seen' });
  });
  const tell = (type: 'hello' | 'sync') => navigator.serviceWorker.ready.then((r) => r.active?.postMessage({ type, learner }));
  addEventListener('online', () => {
    showConnection();
    void tell('sync');
  });
  const start = () => {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
    void tell(navigator.onLine ? 'sync' : 'hello');
  };
  if (document.readyState === 'complete') start();
  else addEventListener('load', start, { once: true });
}

// The names attendance-queue.ts keeps a facilitator's marks under. Written out here rather than imported: a module
// shared with the tick list's script would become a chunk of its own, and this script would no longer be inlined.
const ATTENDANCE_DB = 'capacita-attendance';
const ATTENDANCE_MARKS = 'capacita-attendance-marks';

/**
 * A facilitator's attendance marks kept on this device (attendance-queue.ts) never outlive the account: another
 * account's page deletes them, and signing out deletes them — after asking, when some are still waiting to be sent
 * (the tick list sends them while it is open with a connection). One localStorage read on a device that holds none.
 */
function watchAttendanceMarks(learner: number | null, unsentQuestion: string): void {
  const held = (): { owner: number; waiting: number } | null => {
    try {
      return JSON.parse(localStorage.getItem(ATTENDANCE_MARKS) ?? 'null');
    } catch {
      return null;
    }
  };
  const wipe = () =>
    new Promise<void>((resolve) => {
      localStorage.removeItem(ATTENDANCE_MARKS);
      const request = indexedDB.deleteDatabase(ATTENDANCE_DB);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  const marks = held();
  if (marks && learner !== null && marks.owner !== learner) void wipe();
  // Read at sign-out, not now: the tick list may keep marks after this page loaded.
  addEventListener(
    'submit',
    (event) => {
      const form = event.target as HTMLFormElement;
      const kept = held();
      if (!kept || !form.action.includes('_action=auth.signOut')) return;
      event.preventDefault();
      if (kept.waiting > 0 && !confirm(unsentQuestion)) return;
      void wipe().then(() => form.submit());
    },
    { capture: true },
  );
}
