// pa11y (HTML_CodeSniffer, WCAG2AA) on every page given, in one Chromium (Debian's, CHROMIUM_PATH):
//   node pa11y-pages.js BASE_URL path/ path/ ...
// prints one JSON list of the issues found (errors only), each with its page. Run by
// tests/browser/test_markup.py against the built site on 127.0.0.1.
"use strict";
const pa11y = require("pa11y");
const puppeteer = require("puppeteer");

async function main() {
  const [base, ...paths] = process.argv.slice(2);
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const issues = [];
  try {
    for (const path of paths) {
      const result = await pa11y(base + path, {
        browser, standard: "WCAG2AA", runners: ["htmlcs"], includeWarnings: false, includeNotices: false,
        timeout: 60000,
      });
      for (const issue of result.issues) {
        issues.push({ page: path, code: issue.code, message: issue.message, selector: issue.selector });
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(issues));
}

main().catch((error) => { console.error(error); process.exit(2); });
