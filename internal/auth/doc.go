// Package auth holds Maillon's cryptographic choices for credentials:
// argon2id password hashing in the PHC string format. The store receives a
// Hasher through the maillon.PasswordHasher interface, so parameters can
// change without touching SQL, and old hashes keep verifying because their
// parameters travel with them.
//
// It imports maillon and golang.org/x/crypto only.
package auth
