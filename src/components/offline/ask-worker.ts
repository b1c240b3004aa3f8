// One question to the service worker and its answers, over a MessageChannel (public/sw.js, "message"). `onAnswer`
// sees every answer (progress reports); the promise resolves with the first one for which `done` is true.
export async function askWorker<T>(message: Record<string, unknown>, onAnswer?: (answer: T) => boolean): Promise<T | null> {
  if (!('serviceWorker' in navigator)) return null;
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (!worker) return null;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent) => {
      const answer = event.data as T;
      if (!onAnswer || onAnswer(answer)) {
        channel.port1.close();
        resolve(answer);
      }
    };
    worker.postMessage(message, [channel.port2]);
  });
}
