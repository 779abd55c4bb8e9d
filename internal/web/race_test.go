//go:build race

package web_test

// raceBuild is set when the race detector instruments the build, in which
// the pure-Go SQLite runs some twenty times slower.
const raceBuild = true
