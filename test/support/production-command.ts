import { readFileSync } from 'node:fs';

/** The Node flags `npm run start:prod` gives the service (its V8 heap settings), without the .env loading. */
export function productionNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  return scripts['start:prod'].split(/\s+/).filter((word) => word.startsWith('--') && !word.endsWith('/config/env-file.js'));
}

/** The exec-form CMD of the Dockerfile's final stage. */
export function dockerCommand(): string[] {
  const cmd = readFileSync('Dockerfile', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('CMD '))
    .at(-1);
  return JSON.parse(cmd!.slice('CMD '.length)) as string[];
}
