// The database scripts in package.json, run as a person runs them: on an empty database file they must leave a
// usable database, not a missing-file error or "no such table".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';

const scripts: Record<string, string> = JSON.parse(readFileSync('package.json', 'utf8')).scripts;
const dir = mkdtempSync(join(tmpdir(), 'capacita-scripts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `npm run <name> -- <args>` without npm: the script's node arguments with this Node. */
function runScript(name: string, url: string, args: string[] = []) {
  const [command, ...scriptArgs] = scripts[name]!.split(' ');
  expect(command).toBe('node');
  return spawnSync(process.execPath, [...scriptArgs, ...args], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
}

async function count(url: string, table: string): Promise<number> {
  const client = createClient({ url });
  try {
    const { rows } = await client.execute(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0]!.n);
  } finally {
    client.close();
  }
}

describe('database scripts on an empty database', () => {
  it('db:migrate creates the tables and reference data, without demo accounts', async () => {
    const url = `file:${join(dir, 'migrate.db')}`;
    const run = runScript('db:migrate', url);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(await count(url, 'institutions')).toBeGreaterThan(0);
    expect(await count(url, 'users')).toBe(0);
  }, 60_000);

  it('db:demo migrates first, then generates the population', async () => {
    const url = `file:${join(dir, 'demo.db')}`;
    const run = runScript('db:demo', url, ['--officials', '5']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('officials       5');
    expect(await count(url, 'institutions')).toBeGreaterThan(0);
  }, 60_000);
});
