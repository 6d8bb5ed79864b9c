// Prints the test counts of the jest and Playwright JSON reports, and one closing line
// "N passed, N failed" for the whole run.
import { readFileSync } from 'node:fs';

const [jestFile, playwrightFile] = process.argv.slice(2);
const jest = JSON.parse(readFileSync(jestFile, 'utf8'));
const playwright = JSON.parse(readFileSync(playwrightFile, 'utf8'));

const unit = { passed: jest.numPassedTests, failed: jest.numFailedTests };
const browser = {
  passed: playwright.stats.expected,
  failed: playwright.stats.unexpected + playwright.stats.flaky,
};
console.log(`unit and database tests: ${unit.passed} passed, ${unit.failed} failed`);
console.log(`browser tests: ${browser.passed} passed, ${browser.failed} failed`);
console.log(`${unit.passed + browser.passed} passed, ${unit.failed + browser.failed} failed`);
