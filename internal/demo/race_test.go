//go:build race

package demo_test

// raceBuild mirrors the demo's own: under -race the dataset is thinner.
const raceBuild = true
