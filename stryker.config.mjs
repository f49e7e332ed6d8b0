// Mutation testing (StrykerJS + its jest runner). Slow: not part of `npm test`.
// Run it through `npm run mutate -- <files or globs>` (scripts/mutate.js), which sets the files to
// mutate and the jest test files to run; see docs/mutation.md.
//
// scripts/mutate.js hands this config two things through the environment:
//   STRYKER_TEST_FILES  JSON list of test files (repo-relative): jest runs only these, in the dry
//                       run and for every mutant (unset: every test that jest's findRelatedTests
//                       reaches from the mutated files, which through the barrels is most suites).
//   STRYKER_REPORT_NAME base name of the html/json reports in reports/mutation/ (default "mutation").
import process from 'node:process';

const testFiles = process.env.STRYKER_TEST_FILES ? JSON.parse(process.env.STRYKER_TEST_FILES) : undefined;
const reportName = process.env.STRYKER_REPORT_NAME || 'mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // On by default: the dry run and each mutant run pass the mutated file to jest's
    // --findRelatedTests, so suites that never load it are not run.
    enableFindRelatedTests: true,
    config: {
      // --findRelatedTests follows imports through jest's file map, which holds the files under
      // `roots` only: with jest.config.js's roots (test/) a test that reaches the mutated file
      // through src/stack/index.ts would not be found, and every mutant would survive for want of
      // a test run. So the sources are roots too; testMatch still picks the test files.
      roots: ['<rootDir>/test', '<rootDir>/src', '<rootDir>/examples'],
      // The chosen test files, or `npm test`'s (test/ only: examples/app has a test of its own).
      // testMatch is matched against absolute paths; <rootDir> is the sandbox copy of the repo.
      testMatch: testFiles ? testFiles.map((f) => `<rootDir>/${f}`) : ['<rootDir>/test/**/*.test.ts'],
    },
  },
  // TypeScript is transpiled by ts-jest (isolatedModules, as in jest.config.js); no type checker:
  // a mutant that does not type-check still runs (Stryker adds `// @ts-nocheck`).
  coverageAnalysis: 'perTest',
  // The mutated files; scripts/mutate.js sets --mutate. This default is the scope of the issue.
  mutate: ['src/core/object-rules/*.ts', 'src/model-service/*-rules.ts', 'src/testing/*.ts', 'src/system/*.ts', '!**/index.ts'],
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: `reports/mutation/${reportName}.html` },
  jsonReporter: { fileName: `reports/mutation/${reportName}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // The sandboxes, inside the repo and ignored by git (.gitignore), eslint and jest (roots: test/).
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // Not needed by any test and large (bench/.cache is hundreds of MB): not copied to the sandbox.
  ignorePatterns: ['/lib', '/dist', '/coverage', '/reports', '/bench/.cache', '/.jest-cache', '/.stryker-tmp', '*.tgz'],
  // A 2-core machine shared with other jobs: one test runner (scripts/mutate.js allows 2).
  concurrency: 1,
  // Generous timeouts: the machine is shared, and a slow run is not an infinite loop.
  timeoutMS: 15000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 30,
  thresholds: { high: 80, low: 60, break: null },
};
