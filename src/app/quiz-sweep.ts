// Closes quiz attempts whose time ran out, graded on the answers saved by the deadline, every 30 seconds while the
// server runs (started with the first request, like the mail worker). Page views never do it: a GET does not write.
// Several processes may run it at once: each attempt is claimed with UPDATE … WHERE submitted_at IS NULL.
import { closeExpiredAttempts } from '../server/learning/index.ts';
import { getBank, getCourse } from './content.ts';
import { getDb } from './db.ts';

const EVERY_MS = 30_000;
let timer: ReturnType<typeof setInterval> | undefined;
let running = false;

async function sweep(): Promise<void> {
  if (running) return;
  running = true;
  try {
    await closeExpiredAttempts(getDb(), async (courseId) => {
      const course = await getCourse(courseId);
      return course ? { course, bank: await getBank(courseId) } : null;
    });
  } catch (error) {
    // A busy database or a restart: the next tick tries again; nothing is lost (the attempt stays open until then).
    console.warn('quiz sweep:', error instanceof Error ? error.message : error);
  } finally {
    running = false;
  }
}

export function ensureQuizSweep(): void {
  timer ??= setInterval(() => void sweep(), EVERY_MS).unref();
}
