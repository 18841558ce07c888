import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema, loadConfig } from './config';

function parseEnvExample(): Map<string, string> {
  const text = readFileSync(join(__dirname, '../../.env.example'), 'utf8');
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) entries.set(match[1], match[2]);
  }
  return entries;
}

describe('.env.example', () => {
  const documented = parseEnvExample();

  it('documents every setting the config reads, and nothing else', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('gives the defaults the code uses', () => {
    const defaults = loadConfig({});
    for (const [key, value] of documented) {
      if (value === '') continue;
      expect(String(defaults[key as keyof typeof defaults])).toBe(value);
    }
  });
});
