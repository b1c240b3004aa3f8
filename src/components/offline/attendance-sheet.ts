// The tick list with JavaScript (src/pages/[lang]/admin/workshops/[id]/sessions/[sessionId].astro): saving keeps each
// changed mark on the device with a client id of its own (attendance-queue.ts), then sends them. Online they go at
// once and the page reloads with the server's confirmation, as the plain form does; offline (or when the request
// fails) they wait, the page says how many, and they are sent when the connection returns. A mark the server refuses
// stays on the page with its reason until the facilitator has read it. Without IndexedDB the plain form posts as
// without JavaScript.
import { allMarks, changeMarks, sendMarks, wipeMarks, type QueuedMark, type SendResult } from './attendance-queue.ts';

interface Row {
  person: number;
  name: string;
  /** What the server had when the page was drawn, or since a mark of this page was applied; null: nothing yet. */
  recorded: boolean | null;
  box: HTMLInputElement;
  pending: HTMLElement;
}

const RETRY_MS = 30_000;

export function startAttendanceSheet(): void {
  const root = document.querySelector<HTMLElement>('[data-attendance-queue]');
  const form = document.querySelector<HTMLFormElement>('form[data-attendance-form]');
  if (!root) return;
  const data = root.dataset;
  const owner = Number(data.owner);
  const session = Number(data.session);
  const lang = data.lang === 'en' ? 'en' : 'es';
  const plural = new Intl.PluralRules(lang);
  const counted = (prefix: 'Waiting' | 'Sent', count: number, time = '') =>
    (data[`msg${prefix}${plural.select(count) === 'one' ? 'One' : 'Other'}`] ?? '').replace('{count}', count.toLocaleString(lang)).replace('{time}', time);
  const status = root.querySelector<HTMLElement>('[data-queue-status]')!;
  const refusedBox = root.querySelector<HTMLElement>('[data-queue-refused]')!;
  const rows: Row[] = [...document.querySelectorAll<HTMLElement>('li[data-person]')].map((li) => ({
    person: Number(li.dataset.person),
    name: li.dataset.name ?? '',
    recorded: li.dataset.recorded === '' ? null : li.dataset.recorded === '1',
    box: li.querySelector<HTMLInputElement>('input[type=checkbox]')!,
    pending: li.querySelector<HTMLElement>('[data-pending]')!,
  }));
  let lastSent: { count: number; at: Date } | null = null;
  let sendingNow = false;

  /** `drawBoxes`: show the waiting marks in the checkboxes (when the page opens; later the boxes are the facilitator's). */
  const render = async (drawBoxes = false) => {
    const mine = (await allMarks()).filter((m) => m.owner === owner);
    const waiting = mine.filter((m) => m.state === 'waiting');
    const waitingHere = new Map(waiting.filter((m) => m.session === session).map((m) => [m.person, m]));
    for (const row of rows) {
      const mark = waitingHere.get(row.person);
      row.pending.hidden = !mark;
      if (mark && drawBoxes) row.box.checked = mark.present;
    }
    const lines: string[] = [];
    if (waiting.length > 0) lines.push(counted('Waiting', waiting.length), sendingNow ? (data.msgSending ?? '') : (data.msgWaitingHint ?? ''));
    else if (lastSent) lines.push(counted('Sent', lastSent.count, lastSent.at.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' })));
    status.replaceChildren(...lines.map((text) => Object.assign(document.createElement('p'), { textContent: text })));
    status.classList.toggle('warning', waiting.length > 0);
    status.classList.toggle('success', waiting.length === 0 && lastSent !== null);
    status.hidden = lines.length === 0;
    renderRefused(mine.filter((m) => m.state === 'refused'));
  };

  const renderRefused = (refused: QueuedMark[]) => {
    refusedBox.hidden = refused.length === 0;
    const list = refusedBox.querySelector('ul')!;
    list.replaceChildren(
      ...refused.map((m) => Object.assign(document.createElement('li'), { textContent: `${m.name} (${m.day}, ${m.present ? data.msgPresent : data.msgAbsent}): ${m.message ?? ''}` })),
    );
  };

  /** What the server now holds for this page's rows, after marks of this day were applied. */
  const learn = (result: SendResult) => {
    for (const { mark } of result.applied) {
      const row = mark.session === session ? rows.find((r) => r.person === mark.person) : undefined;
      if (row) row.recorded = mark.present;
    }
  };

  const send = async (): Promise<SendResult | null> => {
    if (!navigator.onLine) return null;
    sendingNow = true;
    await render();
    try {
      const result = await sendMarks(owner);
      learn(result);
      if (result.applied.length > 0) lastSent = { count: result.applied.length, at: new Date() };
      return result;
    } finally {
      sendingNow = false;
      await render();
    }
  };

  const save = async () => {
    const waitingHere = new Map((await allMarks()).filter((m) => m.owner === owner && m.state === 'waiting' && m.session === session).map((m) => [m.person, m]));
    const add: QueuedMark[] = [];
    const remove: string[] = [];
    for (const row of rows) {
      const wanted = row.box.checked;
      const queued = waitingHere.get(row.person);
      if (wanted === (queued ? queued.present : row.recorded)) continue;
      if (queued) remove.push(queued.id);
      // Back to what the server has: the waiting mark goes, and nothing is sent.
      if (wanted !== row.recorded) add.push({ id: crypto.randomUUID(), owner, lang, queuedAt: Date.now(), session, person: row.person, present: wanted, state: 'waiting', name: row.name, day: data.day ?? '' });
    }
    await changeMarks(add, remove);
    await render();
    const result = await send();
    // Online and everything of this day answered: the server's page, with its confirmation, as after the plain form.
    if (result && !result.unsent && result.refused.length === 0) {
      const sentHere = result.applied.filter((a) => a.mark.session === session);
      const totals = { recorded: 0, corrected: 0, unchanged: rows.length - sentHere.length, duplicate: 0 };
      for (const { outcome } of sentHere) if (outcome in totals) totals[outcome as keyof typeof totals]++;
      location.assign(`${location.pathname}?${new URLSearchParams(Object.entries(totals).map(([k, v]) => [k, String(v)]))}&saved=1`);
    }
  };

  void (async () => {
    try {
      // Marks another account left on this device are not this one's to read or send.
      const mine = await allMarks();
      if (mine.some((m) => m.owner !== owner)) await wipeMarks();
    } catch {
      return; // No IndexedDB here (a private window of some browsers): the plain form it is.
    }
    root.hidden = false;
    form?.addEventListener('submit', (event) => {
      event.preventDefault();
      save().catch(() => form.submit());
    });
    root.querySelector('[data-queue-dismiss]')?.addEventListener('click', async () => {
      await changeMarks([], (await allMarks()).filter((m) => m.owner === owner && m.state === 'refused').map((m) => m.id));
      await render();
    });
    addEventListener('online', () => void send());
    addEventListener('offline', () => void render());
    // A connection that came back without an `online` event (a captive portal, a flaky link): try now and then.
    setInterval(() => {
      if (!sendingNow) void allMarks().then((marks) => (marks.some((m) => m.owner === owner && m.state === 'waiting') ? send() : null));
    }, RETRY_MS);
    await render(true);
    if ((await allMarks()).some((m) => m.state === 'waiting')) await send();
  })();
}
