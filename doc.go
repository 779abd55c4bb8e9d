// Package maillon is the domain of Maillon, a platform for French social
// mediation services (médiation sociale, titre professionnel RNCP36241).
//
// It holds the domain types with their typed IDs, enumerations and
// validation, the permission rules, the Error type and its kinds, and the
// service interfaces that the store implements and that the web UI, the JSON
// API and the CLI consume. It imports only the standard library, so that the
// rules of the job can be read and tested without a database or a server; a
// test in cmd/maillon enforces this.
package maillon
