import { existsSync } from 'node:fs';

/**
 * Preloaded by the npm scripts (`node --import=./dist/src/config/env-file.js ...`): reads `./.env` into
 * process.env when there is one, variables already set winning, as `node --env-file` does. Not
 * `--env-file-if-exists=.env`: on Node 20 it prints ".env not found. Continuing without it." on every run
 * without the file, into the output of every `npm run cli`. Running `node dist/src/main.js` directly (the
 * Docker image, the tests) reads no file.
 */
if (existsSync('.env')) process.loadEnvFile('.env');
