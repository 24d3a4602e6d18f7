import { availableParallelism } from 'node:os';

/**
 * Jest in ESM mode (NestJS 12 ships ES modules only): @swc/jest compiles TypeScript with decorator
 * metadata, `.js` in relative imports is mapped back to the `.ts` source.
 * Run through `npm test` (node --experimental-vm-modules).
 */
const swc = [
  '@swc/jest',
  {
    swcrc: false,
    sourceMaps: 'inline',
    module: { type: 'es6' },
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
  },
];

// CommonJS packages that require an ESM-only dependency, which Jest's loader cannot do on Node 20:
// those dependencies are compiled to CommonJS for the tests.
const esmOnlyDependencies = ['content-disposition', 'cookie'];
const toCommonJs = ['@swc/jest', { swcrc: false, module: { type: 'commonjs' }, jsc: { target: 'es2023' } }];

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    [`/node_modules/(${esmOnlyDependencies.join('|')})/.+\\.js$`]: toCommonJs,
    '^.+\\.ts$': swc,
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyDependencies.join('|')})/)`],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Its ESM build imports JSON without an import attribute, which Jest warns about on every file.
    '^libphonenumber-js(/max)?$': '<rootDir>/node_modules/libphonenumber-js$1/index.cjs',
  },
};

export default {
  // jest-circus reads the timeout globally, not per project.
  testTimeout: 30_000,
  // The e2e files spend much of their time waiting (on child processes, timers, sockets), so two workers
  // pay off even on two cores; past four, the few files gain little, and each worker needs a database.
  maxWorkers: Math.min(4, Math.max(2, availableParallelism() - 1)),
  // After the e2e files a worker holds a heap of about 600 MB, and a process that size takes about half a
  // second to end (longer on a busy machine) with nothing left open: jest's default wait of 500 ms would
  // then kill it and report a leak.
  workerGracefulExitTimeout: 5000,
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/src'], testMatch: ['**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      // A database and Redis database of its own for each worker (see global-setup.ts).
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFiles: ['<rootDir>/test/support/env.ts'],
      slowTestThreshold: 30,
    },
  ],
};
