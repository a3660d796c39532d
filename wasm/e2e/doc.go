// Package e2e holds the end-to-end tests of the shipped artifacts: the
// collector binary built from source, the committed sdk/dist loader and
// tracker, and pages opened in headless Chromium. It has no non-test code.
//
// The tests need Chromium. `make test` installs it (install-chromium.sh) and
// passes its path in CRUMBLESS_CHROMIUM; without a browser the tests fail
// rather than skip, so a green run always means the browser tests ran.
package e2e
