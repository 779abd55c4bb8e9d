//go:build !race

package demo

// raceBuild: see race.go.
const raceBuild = false
