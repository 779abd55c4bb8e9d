// Package demo fills an empty database with a fictional but realistic
// dataset, deterministic for a given seed, so that every screen has
// believable content for demonstrations, training and benchmarks. It goes
// through the domain services like any other client, so demo data obeys
// the same validation and leaves the same audit trail.
//
// It imports maillon only. Each module adds its part here.
package demo
