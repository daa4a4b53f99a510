const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

const swc = [
  "@swc/jest",
  { jsc: { parser: { syntax: "typescript", decorators: true, tsx: true }, target: "es2021" } },
]

const testType = process.env.TEST_TYPE ?? "unit"

module.exports = {
  transform: { "^.+\\.[jt]sx?$": swc },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/"],
  testTimeout: 60_000,
  ...(testType === "unit"
    ? { testMatch: ["<rootDir>/src/**/__tests__/**/*.spec.[jt]s"] }
    : {
        testMatch: ["<rootDir>/integration-tests/**/*.spec.[jt]s"],
        setupFiles: ["<rootDir>/integration-tests/setup.js"],
        globalSetup: "<rootDir>/integration-tests/global-setup.ts",
        globalTeardown: "<rootDir>/integration-tests/global-teardown.ts",
        testTimeout: 180_000,
      }),
}
