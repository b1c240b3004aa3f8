// The import's confirm button. Without JavaScript it is a plain form posted to the Action; with it, the commit goes
// to a streaming endpoint that reports progress as the rows are written, shown in a progress bar.
import { useState } from 'react';

interface Props {
  action: string;
  endpoint: string;
  batchId: number;
  total: number;
  doneUrl: string;
  labels: { submit: string; progress: string; writing: string; failed: string };
}

export default function ImportCommit({ action, endpoint, batchId, total, doneUrl, labels }: Props) {
  const [done, setDone] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: { preventDefault(): void }) {
    event.preventDefault();
    setError(null);
    setDone(0);
    try {
      const response = await fetch(endpoint, { method: 'POST', headers: { accept: 'application/x-ndjson' } });
      if (!response.ok || !response.body) throw new Error(String(response.status));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (value) buffer += value;
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = JSON.parse(buffer.slice(0, newline)) as { done?: number; result?: { ok: boolean; message?: string } };
          buffer = buffer.slice(newline + 1);
          if (typeof line.done === 'number') setDone(line.done);
          if (line.result) {
            if (line.result.ok) window.location.assign(doneUrl);
            else throw new Error(line.result.message ?? 'failed');
          }
        }
        if (finished) break;
      }
    } catch (e) {
      setDone(null);
      setError(e instanceof Error && e.message.length > 3 ? e.message : labels.failed);
    }
  }

  return (
    <form method="post" action={action} onSubmit={submit}>
      <input type="hidden" name="batch" value={batchId} />
      <button className="button" type="submit" disabled={done !== null}>{labels.submit}</button>
      {done !== null && (
        <div className="import-progress">
          <label htmlFor="import-progress">{labels.writing}</label>
          <progress id="import-progress" max={total} value={done} />
        </div>
      )}
      <p role="status" aria-live="polite" data-testid="import-status">
        {done !== null ? labels.progress.replace('{done}', String(done)).replace('{total}', String(total)) : ''}
      </p>
      {error && <div className="alert error" role="alert">{error}</div>}
    </form>
  );
}
