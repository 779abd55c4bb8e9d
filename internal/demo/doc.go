// Package demo fills an empty database with a fictional but realistic
// dataset, deterministic for a given seed, so that every screen has
// believable content for demonstrations, training and benchmarks. It goes
// through the domain services like any other client, so demo data obeys
// the same validation and leaves the same audit trail.
//
// The main structure, « Médiation Sud-Est (démo) », holds about 80 people
// and six months of activity ending the evening before the store's
// current day: some 600 interventions of every registre and place
// (permanences, home visits, street presence with anonymous tallies,
// evening and weekend work of the evening team, binômes), accompanied
// procedures with their obstacles and the autonomy observed (several
// people grow from level 1 to 3), consents (some withdrawn), factual
// notes, and follow-ups overdue, due today and this week. Dates are
// computed from the store's clock (the creation date of the structure):
// the same seed gives the same dataset all day long, and tests with a
// fixed clock get a fixed dataset. Under the race detector the dataset is
// thinner (race.go).
//
// Everything is planned in memory from the seeded generator first
// (plan.go, activity.go, with the texts of texts.go and names.go), then
// created through the services (create.go).
//
// The large scale (benchmarks, docs/performance.md) adds four network
// structures with two years of activity, 200,000 people and about a
// million interventions by default (bulk.go). Their accounts go through
// the services; the people and interventions are drawn as domain values
// and handed in batches to maillon.Importer, which checks their codes and
// derives what the services derive, in one transaction per batch.
//
// It imports maillon only. Each module adds its part here.
package demo
