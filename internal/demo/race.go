//go:build race

package demo

// raceBuild is set when the race detector instruments the build. The
// pure-Go SQLite then runs some twenty times slower, so the dataset keeps
// its six months but less than a third of the people and a quarter of the
// team activity: the tests and `serve --demo` built with -race stay within
// their time limits.
// Release builds are never built with -race.
const raceBuild = true
