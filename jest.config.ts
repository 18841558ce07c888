import type { Config } from 'jest';

const tsJest: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  // ESM-only packages (file-type 21 and its dependencies) become CommonJS for jest (STACK.md).
  '^.+\\.(m|c)?js$': ['@swc/jest', { module: { type: 'commonjs' } }],
};

const ESM_PACKAGES = [
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer/inflate',
  '@borewit/text-codec',
  'uint8array-extras',
  'unpdf',
  // The OTLP exporter loads node:http with import(), which jest only runs under
  // --experimental-vm-modules; swc turns it into require() (core/observability/tracing.ts).
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/otlp-exporter-base',
];

const common: Config = {
  transform: tsJest,
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper: {
    '^file-type$': '<rootDir>/node_modules/file-type/index.js',
    '^unpdf/pdfjs$': '<rootDir>/node_modules/unpdf/dist/pdfjs.mjs',
  },
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

const config: Config = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{core,gateway,subgraphs,workers,ops,schema}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/{core,gateway,subgraphs,workers,ops,schema}/**/*.int.test.ts',
        '<rootDir>/test/**/*.test.ts',
      ],
      // The whole pdf.js corpus takes minutes: `npm run test:corpus` runs it, `npm test` does not.
      testPathIgnorePatterns:
        process.env.DOCENT_PDF_CORPUS === '1' ? [] : ['<rootDir>/test/e2e/pdf-corpus.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      slowTestThreshold: 20,
    },
  ],
  testTimeout: 30_000,
};

export default config;
