//go:build race

package store_test

// demoGolden names the golden file of a test on the demo dataset: under
// -race the demo is thinner (internal/demo/race.go), so its figures have
// their own file.
func demoGolden(name string) string { return name + ".race.golden" }
