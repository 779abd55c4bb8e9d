// Package browsertest holds Maillon's browser tests. It has no code of its
// own outside tests: the tests wire the application in-process (SQLite, demo
// dataset) behind httptest, drive Debian's headless Chromium through the
// DevTools protocol (github.com/chromedp/chromedp) and check what a person
// with a screen reader, a keyboard or a small screen gets:
//
//   - every page reachable from the navigation and from links in <main>,
//     for each demo role and anonymously, has zero axe-core violations for
//     the WCAG 2.0/2.1 A and AA rules at 1280 px and 375 px wide, and does
//     not scroll horizontally at 320 px;
//   - the error state of every form (submitted with its text fields empty)
//     and a failed login pass the same checks;
//   - login, navigation and logout work with the keyboard alone.
//
// axe-core comes from npm (package.json at the repository root, installed
// by `npm ci`); the tests read node_modules/axe-core/axe.min.js, or the file
// named by MAILLON_AXE_JS. Chromium is /usr/bin/chromium, or the file named
// by MAILLON_CHROMIUM. Without either the tests skip with a message, unless
// MAILLON_TEST_REQUIRE_BROWSER=1 (set by .ci/run), which makes them fail.
package browsertest
