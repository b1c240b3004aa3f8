// The offline page's list of what is saved on this device, asked of the service worker (public/sw.js, "list").
import { askWorker } from './ask-worker.ts';

interface SavedCourse {
  title: string;
  pages: { url: string; title: string }[];
}

export async function listSavedContent(): Promise<void> {
  const reason = document.getElementById('offline-reason');
  // The worker answers a quiz address with this page: the quiz is graded on the server and needs a connection.
  if (reason && /\/courses\/[^/]+\/quiz(\/|$)/.test(location.pathname)) reason.textContent = reason.dataset.msgQuiz ?? '';
  const section = document.querySelector<HTMLElement>('[data-offline-saved]');
  const target = section?.querySelector('[data-offline-list]');
  if (!section || !target) return;
  const list = await askWorker<{ courses: SavedCourse[]; glossary: boolean; guia: boolean }>({ type: 'list', lang: section.dataset.lang });
  if (!list) return;
  const items: HTMLElement[] = [];
  const link = (href: string, text: string) => {
    const li = document.createElement('li');
    li.append(Object.assign(document.createElement('a'), { href, textContent: text }));
    return li;
  };
  for (const course of list.courses) {
    items.push(Object.assign(document.createElement('h3'), { textContent: course.title }));
    const ul = document.createElement('ul');
    for (const page of course.pages) ul.append(link(page.url, page.title));
    items.push(ul);
  }
  const more = document.createElement('ul');
  if (list.glossary) more.append(link(`/${section.dataset.lang}/glossary`, section.dataset.msgGlossary ?? ''));
  if (list.guia) more.append(link(`/${section.dataset.lang}/guia`, section.dataset.msgGuia ?? ''));
  if (more.childElementCount > 0) items.push(more);
  if (items.length > 0) target.replaceChildren(...items);
}
