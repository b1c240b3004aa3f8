// A facilitator's attendance marks made without a connection (issue 17.2), kept on this device until the server has
// answered them. The tick list's page keeps and sends them itself — IndexedDB and the `online` event, no service
// worker: an admin page holds people's data and is never cached, so it must already be open — to the endpoint that
// applies the learner's offline progress, /api/offline-sync, as items of kind `attendance`, each applied once by its
// client id (src/server/offline/sync.ts). Signing out deletes them (offline-client.ts), asking first while some wait.
export const ATTENDANCE_DB = 'capacita-attendance';
/**
 * While this device holds marks: whose they are and how many wait, so every page (offline-client.ts, which writes
 * these two names out itself to stay inlined) can tell without opening the database.
 */
export const ATTENDANCE_MARKS = 'capacita-attendance-marks';
const STORE = 'marks';
/** The endpoint's limit per request (MAX_ITEMS_PER_SYNC). */
const BATCH = 50;

export interface QueuedMark {
  id: string;
  owner: number;
  lang: 'es' | 'en';
  queuedAt: number;
  session: number;
  person: number;
  present: boolean;
  /** waiting: not answered yet; refused: the server said no (message), kept until the facilitator has read it. */
  state: 'waiting' | 'refused';
  message?: string;
  /** For the notices of this device only: who and which day, as the page showed them. */
  name: string;
  day: string;
}

let connection: Promise<IDBDatabase> | null = null;

function database(): Promise<IDBDatabase> {
  connection ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(ATTENDANCE_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
    request.onsuccess = () => {
      const db = request.result;
      // Another tab deleting the marks (a sign-out) must not wait for this one.
      db.onversionchange = () => {
        db.close();
        connection = null;
      };
      resolve(db);
    };
    request.onerror = () => {
      connection = null;
      reject(request.error);
    };
  });
  return connection;
}

async function inStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request ? request.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export async function allMarks(): Promise<QueuedMark[]> {
  return (await inStore<QueuedMark[]>('readonly', (store) => store.getAll())) ?? [];
}

/** Adds and removes marks in one transaction, and keeps the owner flag in step with what is left. */
export async function changeMarks(add: readonly QueuedMark[], remove: readonly string[]): Promise<void> {
  await inStore('readwrite', (store) => {
    for (const id of remove) store.delete(id);
    for (const mark of add) store.put(mark);
  });
  const left = await allMarks();
  if (left.length > 0) localStorage.setItem(ATTENDANCE_MARKS, JSON.stringify({ owner: left[0]!.owner, waiting: left.filter((m) => m.state === 'waiting').length }));
  else localStorage.removeItem(ATTENDANCE_MARKS);
}

/** Deletes every mark on this device (sign-out, or another account signed in here). */
export async function wipeMarks(): Promise<void> {
  localStorage.removeItem(ATTENDANCE_MARKS);
  const open = connection;
  connection = null;
  if (open) (await open.catch(() => null))?.close();
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(ATTENDANCE_DB);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

export interface SendResult {
  /** The marks the server applied (now or on an earlier delivery), with what recording them did. */
  applied: { mark: QueuedMark; outcome: string }[];
  refused: QueuedMark[];
  /** Some marks could not be sent (no connection, signed out, a busy server): they wait for the next try. */
  unsent: boolean;
}

interface Answer {
  id: string | null;
  outcome: 'applied' | 'rejected';
  message?: string;
  result?: { outcome?: string };
}

/** The connection often comes back in steps (the page hears "online" before requests get through): a few tries. */
async function post(owner: number, lang: string, marks: readonly QueuedMark[]): Promise<Response | null> {
  const items = marks.map((m) => ({ id: m.id, kind: 'attendance', lang: m.lang, queuedAt: m.queuedAt, session: m.session, person: m.person, present: m.present }));
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await fetch('/api/offline-sync', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept-Language': lang },
        body: JSON.stringify({ learner: owner, items }),
      });
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
    }
  }
  return null;
}

async function sendWaiting(owner: number): Promise<SendResult> {
  const waiting = (await allMarks()).filter((m) => m.owner === owner && m.state === 'waiting').sort((a, b) => a.queuedAt - b.queuedAt);
  const result: SendResult = { applied: [], refused: [], unsent: false };
  for (const lang of ['es', 'en'] as const) {
    const mine = waiting.filter((m) => m.lang === lang);
    for (let i = 0; i < mine.length; i += BATCH) {
      const batch = mine.slice(i, i + BATCH);
      const response = await post(owner, lang, batch);
      // No connection, the session gone, a second factor pending, a busy server: everything left waits.
      if (!response?.ok) return { ...result, unsent: true };
      const answers = ((await response.json()) as { answers: Answer[] }).answers;
      const done: string[] = [];
      const refused: QueuedMark[] = [];
      for (const answer of answers) {
        const mark = batch.find((m) => m.id === answer.id);
        if (!mark) continue;
        if (answer.outcome === 'applied') {
          done.push(mark.id);
          result.applied.push({ mark, outcome: answer.result?.outcome ?? 'recorded' });
        } else {
          refused.push({ ...mark, state: 'refused', message: answer.message ?? '' });
        }
      }
      await changeMarks(refused, done);
      result.refused.push(...refused);
    }
  }
  return result;
}

let previous: Promise<unknown> = Promise.resolve();

/**
 * Sends this account's waiting marks, in the order they were made. One sending at a time per page: a call made
 * during one (a save as the connection returns) runs after it, with what is waiting then.
 */
export function sendMarks(owner: number): Promise<SendResult> {
  const run = previous.then(() => sendWaiting(owner));
  previous = run.catch(() => null);
  return run;
}
