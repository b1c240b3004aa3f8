// The app's Actions, found by reading src/actions/ (index.ts and each group's file), so a new Action is covered by the
// suites that go over all of them (resilience-fuzz, security-second-factor) without touching them.
import { readFileSync } from 'node:fs';

export interface ActionInfo {
  name: string; // group.action
  hasInput: boolean;
  /** Takes no input at all (sign out, a request without fields): any body is as good as none. */
  ignoresInput: boolean;
}

export function discoverActions(): { actions: ActionInfo[]; fields: string[] } {
  const index = readFileSync('src/actions/index.ts', 'utf8');
  const imports = new Map([...index.matchAll(/import\s*\{\s*(\w+)\s*\}\s*from\s*'\.\/([\w-]+)\.ts'/g)].map((m) => [m[1]!, m[2]!]));
  const groups = (index.match(/export const server = \{([^}]*)\}/)?.[1] ?? '').split(',').map((s) => s.trim().split(':')[0]!.trim()).filter(Boolean);
  const actions: ActionInfo[] = [];
  const fields = new Set(['email', 'password', 'name', 'course', 'lesson', 'attempt', 'question', 'locale', 'country', 'kind', 'institution', 'code', 'id', 'file', 'token']);
  for (const group of groups) {
    const source = readFileSync(`src/actions/${imports.get(group) ?? group}.ts`, 'utf8');
    const starts = [...source.matchAll(/^\s+(\w+):\s*defineAction\(/gm)];
    starts.forEach((match, i) => {
      const body = source.slice(match.index, starts[i + 1]?.index ?? source.length);
      const handler = body.match(/handler:\s*async\s*\(([^,)]*)/)?.[1]?.trim() ?? '';
      const hasInput = /\binput:\s*/.test(body.slice(0, body.indexOf('handler:')));
      actions.push({ name: `${group}.${match[1]}`, hasInput, ignoresInput: !hasInput && (handler === '' || handler.startsWith('_')) });
    });
    for (const m of source.matchAll(/(?:^|[{,\s])(\w+):\s*(?:z\.|slug\b|email\b|password\b|locale\b)/gm)) fields.add(m[1]!);
    for (const m of source.matchAll(/(?:field\(form,\s*|\.get\()'([\w.-]+)'/g)) fields.add(m[1]!);
  }
  for (const noise of ['error', 'message', 'code', 'path']) if (noise !== 'code') fields.delete(noise);
  return { actions, fields: [...fields] };
}
