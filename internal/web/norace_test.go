//go:build !race

package web_test

const raceBuild = false
