// Load tools shared by bench/load/run.mjs and bench/capacity.mjs: exact percentiles from every response time, RSS
// of processes, a closed-loop phase (autocannon) and an open-loop phase (our own paced client). Loopback only.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

// ── Helpers ────────────────────────────────────────────────────────────────────────────────────────────────────
export function percentile(sorted, p) {
  if (!sorted.length) return null;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] * 10) / 10;
}

export function rssMb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return Math.round(Number(line.split(/\s+/)[1]) / 1024);
  } catch {
    return null;
  }
}

/** A process and, for a cluster primary, its workers. */
function withChildren(name, pid) {
  let children = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // gone, or not Linux
  }
  return children.length ? Object.fromEntries([[`${name} primary`, pid], ...children.map((c, i) => [`${name} worker ${i + 1}`, c])]) : { [name]: pid };
}

/** CPU time (user + system, ms) a process has used so far, from /proc (clock ticks of 10 ms); null once it is gone. */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export function watchRss(named) {
  const pids = Object.assign({}, ...Object.entries(named).map(([name, pid]) => withChildren(name, pid)));
  const peak = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  const timer = setInterval(() => {
    for (const [name, pid] of Object.entries(pids)) peak[name] = Math.max(peak[name], rssMb(pid) ?? 0);
  }, 250);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

export async function waitFor(url, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer`);
}

/** One phase's figures from every response time (ms) and status; 4xx/5xx answers count as errors with the others. */
export function summarise(label, times, statuses, seconds, otherErrors, answeredAt = []) {
  // The longest time without any answer: a stall shows here even when the phase's average looks merely slow.
  let longestSilenceMs = 0;
  for (let i = 1; i < answeredAt.length; i++) longestSilenceMs = Math.max(longestSilenceMs, answeredAt[i] - answeredAt[i - 1]);
  times.sort((a, b) => a - b);
  const bad = Object.entries(statuses).filter(([s]) => Number(s) >= 400).reduce((n, [, c]) => n + c, 0);
  return {
    label,
    requests: times.length,
    seconds: Math.round(seconds * 10) / 10,
    rps: Math.round(times.length / seconds),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times.length ? Math.round(times.at(-1)) : null,
    statuses,
    errors: otherErrors + bad,
    longestSilenceMs: Math.round(longestSilenceMs),
  };
}

/**
 * One autocannon run; `pick()` returns { method, path, body?, headers? } for each request. `onSilence` ({ afterMs,
 * run }) runs once when no answer has come for `afterMs` while the phase runs: a stall, caught while it lasts.
 */
export function load(label, origin, { pick, connections = 100, duration = 10, amount, onSilence }) {
  return new Promise((resolveRun, reject) => {
    const times = [];
    const statuses = {};
    const answeredAt = [];
    const started = Date.now();
    let silenceReported = false;
    const silenceWatch = onSilence
      ? setInterval(() => {
          if (silenceReported || Date.now() - (answeredAt.at(-1) ?? started) < onSilence.afterMs) return;
          silenceReported = true;
          onSilence.run();
        }, 250)
      : null;
    const instance = autocannon(
      {
        url: origin,
        connections,
        ...(amount ? { amount } : { duration }),
        timeout: 30,
        requests: [
          {
            setupRequest: (request) => {
              const next = pick();
              return { ...request, method: next.method ?? 'GET', path: next.path, body: next.body, headers: { ...request.headers, origin, ...(next.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...next.headers } };
            },
          },
        ],
      },
      (error, result) => {
        if (silenceWatch) clearInterval(silenceWatch);
        if (error) return reject(error);
        resolveRun(summarise(label, times, statuses, (Date.now() - started) / 1000, result.errors + result.timeouts, [started, ...answeredAt]));
      },
    );
    instance.on('response', (_client, status, _bytes, time) => {
      answeredAt.push(Date.now());
      times.push(time);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
}

/**
 * Open loop: requests leave at evenly spaced times, `rate` per second, over at most `connections` keep-alive
 * connections, whether or not earlier ones have been answered. Each latency counts from the moment the request was
 * due (waiting for a free connection included), so a stalled server cannot hide its backlog.
 */
export function paced(label, origin, { pick, rate, duration = 10, connections = 100 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const { hostname, port } = new URL(origin);
  const total = Math.round(rate * duration);
  const times = [];
  const statuses = {};
  let errors = 0;
  let sent = 0;
  let settled = 0;
  const started = performance.now();
  return new Promise((resolveRun) => {
    const finish = () => {
      if (++settled < total) return;
      agent.destroy();
      resolveRun(summarise(label, times, statuses, (performance.now() - started) / 1000, errors));
    };
    const fire = (dueAt) => {
      const next = pick();
      const headers = { origin, ...(next.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...next.headers };
      const request = http.request({ agent, hostname, port, method: next.method ?? 'GET', path: next.path, headers }, (response) => {
        response.resume();
        response.on('end', () => {
          times.push(performance.now() - dueAt);
          statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
          finish();
        });
      });
      request.setTimeout(30_000, () => request.destroy(new Error('timeout')));
      request.on('error', () => {
        errors++;
        finish();
      });
      request.end(next.body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      for (; sent < due; sent++) fire(started + (sent / rate) * 1000);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}

/** The load average (1, 5, 15 min) as the kernel reports it. */
export const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
