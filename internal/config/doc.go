// Package config defines Maillon's configuration: one Config struct with
// defaults, loaded once in cmd/maillon from (lowest to highest priority)
// defaults, an optional file, MAILLON_* environment variables and
// command-line flags, then validated and passed explicitly to constructors.
// Secrets can be read from a file named by the variable with a _FILE
// suffix, and Dump redacts them. It imports the standard library only.
package config
