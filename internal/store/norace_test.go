//go:build !race

package store_test

// demoGolden: see race_test.go.
func demoGolden(name string) string { return name + ".golden" }
