const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

const swc = [
  "@swc/jest",
  // the automatic JSX runtime, as tsconfig's "react-jsx": the kit's components never import React
  {
    jsc: {
      parser: { syntax: "typescript", decorators: true, tsx: true },
      transform: { react: { runtime: "automatic" } },
      target: "es2021",
    },
  },
]

const testType = process.env.TEST_TYPE ?? "unit"

module.exports = {
  transform: { "^.+\\.[jt]sx?$": swc },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["<rootDir>/.medusa/"],
  testTimeout: 60_000,
  // every test's name and result, not only the suites'
  verbose: true,
  ...(testType === "unit"
    ? {
        testMatch: [
          "<rootDir>/src/**/__tests__/**/*.spec.[jt]s",
          "<rootDir>/packages/*/src/**/__tests__/**/*.spec.[jt]s",
        ],
      }
    : {
        testMatch: ["<rootDir>/integration-tests/**/*.spec.[jt]s"],
        setupFiles: ["<rootDir>/integration-tests/setup.js"],
        setupFilesAfterEnv: [
          "<rootDir>/integration-tests/suite-log.ts",
          "<rootDir>/integration-tests/bounded-teardown.ts",
        ],
        reporters: ["<rootDir>/integration-tests/suite-log-reporter.js", "default"],
        globalSetup: "<rootDir>/integration-tests/global-setup.ts",
        globalTeardown: "<rootDir>/integration-tests/global-teardown.ts",
        testTimeout: 180_000,
        testSequencer: "<rootDir>/integration-tests/sequencer.js",
      }),
}
