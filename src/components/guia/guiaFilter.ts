// The Guía's filters as the officer types: the filters of the server (src/server/guia/indicators.ts) applied to
// the indicators already in the page, and the address kept in step so that a reload or a shared link shows the same
// list. Without JavaScript the form is an ordinary GET form.
import { foldText, queryWords } from '../../server/guia/fold.ts';

export function enhanceGuiaFilters(): void {
  const form = document.querySelector<HTMLFormElement>('form[data-guia-filters]');
  const list = document.querySelector<HTMLElement>('[data-guia-list]');
  const count = document.querySelector<HTMLElement>('[data-guia-count]');
  const none = document.querySelector<HTMLElement>('[data-guia-none]');
  if (!form || !list || !count || !none) return;
  const items = [...list.querySelectorAll<HTMLLIElement>(':scope > li')].map((li) => ({ li, text: foldText(li.textContent ?? '') }));
  const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null)?.value ?? '';

  const apply = () => {
    const sector = field('sector');
    const exploitation = field('form');
    const kind = field('kind');
    const words = queryWords(field('q'));
    let shown = 0;
    for (const { li, text } of items) {
      const forms = (li.dataset.forms ?? '').split(' ');
      const match =
        (!sector || (li.dataset.sectors ?? '').split(' ').includes(sector)) &&
        (!exploitation || forms.includes(exploitation) || forms.includes('any')) &&
        (!kind || li.dataset.kind === kind) &&
        words.every((word) => text.includes(word));
      li.hidden = !match;
      if (match) shown++;
    }
    none.hidden = shown > 0;
    count.textContent = (count.dataset.template ?? '').replace('{count}', String(shown)).replace('{total}', String(items.length));
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value) query.set(name, value);
    history.replaceState(null, '', `${form.action}${query.size ? `?${query}` : ''}${location.hash}`);
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });
  form.addEventListener('change', (event) => {
    // The country changes the referral route and the PDF links, which the server renders: reload for it.
    if ((event.target as HTMLElement).getAttribute('name') === 'country') form.submit();
  });
}
