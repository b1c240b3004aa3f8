// Runs on every page (kept small: a lesson's first visit has a weight budget): registers the service worker once the
// page has loaded, tells it whose page this is, shows the offline banner, and asks the worker to send progress made
// offline when the connection returns. Everything else lives in the worker (public/sw.js).
import { ATTENDANCE_OWNER } from './attendance-owner.ts';
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

/**
 * A facilitator's attendance marks kept on this device (attendance-queue.ts) never outlive the account: another
 * account's page deletes them, and signing out sends what it can and deletes the rest (asking first when some were
 * not sent). Costs nothing on a device that holds none (one localStorage read); the queue's code loads only then.
 */
function watchAttendanceMarks(learner: number | null, unsentQuestion: string): void {
  const owner = localStorage.getItem(ATTENDANCE_OWNER);
  const queue = () => import('./attendance-queue.ts');
  if (owner && learner !== null && owner !== String(learner)) void queue().then((q) => q.wipeMarks());
  // Marks may be kept after this page loaded (the tick list saving offline): the flag is read at sign-out.
  addEventListener(
    'submit',
    (event) => {
      const form = event.target as HTMLFormElement;
      if (!localStorage.getItem(ATTENDANCE_OWNER) || !form.action.includes('_action=auth.signOut')) return;
      event.preventDefault();
      void queue()
        .then((q) => q.settleBeforeSignOut(learner, () => confirm(unsentQuestion)))
        .catch(() => true)
        .then((go) => go && form.submit());
    },
    { capture: true },
  );
}
