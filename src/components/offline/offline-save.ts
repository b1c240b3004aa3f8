// The course page's offline control (OfflineSave.astro): asks the service worker what is saved, saves with progress,
// updates a copy of an older course version by itself, and removes. Sizes are those the worker measured.
import { askWorker } from './ask-worker.ts';

interface Saved {
  version: string;
  bytes: number;
  stale?: boolean;
}
type Answer = { saved?: Saved | null; progress?: { done: number; total: number }; failed?: boolean; removed?: boolean };

export function startOfflineSave(): void {
  const root = document.querySelector<HTMLElement>('[data-offline-save]');
  if (!root) return;
  const plan = JSON.parse(root.dataset.plan ?? '{}') as { course: string; lang: string; version: string };
  const key = `${plan.lang}/${plan.course}`;
  const q = <T extends HTMLElement>(name: string) => root.querySelector<T>(`[data-offline-${name}]`)!;
  const status = q('status');
  const progress = q<HTMLProgressElement>('progress');
  const [store, update, remove] = [q<HTMLButtonElement>('store'), q<HTMLButtonElement>('update'), q<HTMLButtonElement>('remove')];
  const msg = (name: string, params: Record<string, string | number> = {}) =>
    (root.dataset[`msg${name[0]!.toUpperCase()}${name.slice(1)}`] ?? '').replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  const size = (bytes: number) =>
    bytes >= 1024 * 1024
      ? `${new Intl.NumberFormat(plan.lang, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024))} MB`
      : `${new Intl.NumberFormat(plan.lang).format(Math.max(1, Math.round(bytes / 1024)))} KB`;
  root.hidden = false;
  if (!('serviceWorker' in navigator)) {
    status.textContent = msg('unsupported');
    store.hidden = true;
    return;
  }
  const estimate = q('size');
  const show = (saved: Saved | null | undefined, text?: string) => {
    progress.hidden = true;
    // Once saved, the size measured replaces the estimate made before.
    estimate.hidden = Boolean(saved);
    const current = Boolean(saved && !saved.stale && saved.version === plan.version);
    store.hidden = Boolean(saved);
    update.hidden = !saved || current;
    remove.hidden = !saved;
    status.textContent = text ?? (current ? msg('saved', { size: size(saved!.bytes) }) : saved ? msg('update') : '');
  };
  const save = async () => {
    store.disabled = update.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    const answer = await askWorker<Answer>({ type: 'save', plan: JSON.parse(root.dataset.plan ?? '{}') }, (a) => {
      if (!a.progress) return true;
      progress.value = Math.round((100 * a.progress.done) / a.progress.total);
      status.textContent = msg('saving', a.progress);
      return false;
    });
    store.disabled = update.disabled = false;
    if (!answer || answer.failed) {
      const now = await askWorker<Answer>({ type: 'status', key });
      show(now?.saved, msg('failed'));
    } else show(answer.saved);
  };
  store.addEventListener('click', () => void save());
  update.addEventListener('click', () => void save());
  remove.addEventListener('click', async () => {
    await askWorker<Answer>({ type: 'remove', key });
    show(null, msg('removed'));
  });
  void askWorker<Answer>({ type: 'status', key }).then((answer) => {
    const saved = answer?.saved;
    show(saved);
    // A copy of an older version of the course is brought up to date as soon as the page is open online.
    if (saved && (saved.stale || saved.version !== plan.version) && navigator.onLine) void save();
  });
}
