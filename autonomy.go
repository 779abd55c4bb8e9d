package maillon

import "time"

// AutonomyID identifies a dated digital-autonomy assessment.
type AutonomyID int64

// Digital autonomy vocabularies. The three levels are those of La Coop de
// la médiation numérique, so figures compare with the national ones.
var (
	Equipments = Choices{
		{"smartphone", "Smartphone"}, {"ordinateur", "Ordinateur"}, {"tablette", "Tablette"}, {"aucun", "Aucun équipement"},
	}
	InternetAccess = Choices{
		{"oui", "Oui"}, {"limite", "Limité (forfait, partage, lieu public)"}, {"non", "Non"}, {"inconnu", "Ne sait pas"},
	}
	YesNoUnknown   = Choices{{"oui", "Oui"}, {"non", "Non"}, {"inconnu", "Ne sait pas"}}
	AutonomyLevels = Choices{
		{"1", "Entièrement accompagné·e"}, {"2", "Partiellement autonome"}, {"3", "Autonome"},
	}
)

// Autonomy is a dated digital-autonomy profile of a person. Profiles are
// never overwritten: the list over time is the person's trajectory.
type Autonomy struct {
	ID             AutonomyID
	PersonID       PersonID
	AssessedAt     time.Time // the day, Paris midnight
	Equipment      []string
	Internet       string
	HasEmail       string
	FranceConnect  string
	Level          int // 1 to 3
	RecordedBy     UserID
	RecordedByName string
	// ProcedureID is set when the level was observed during an
	// accompanied procedure.
	ProcedureID ProcedureID
}

// LevelLabel names the level.
func (a Autonomy) LevelLabel() string { return AutonomyLevels.Label(itoa64(int64(a.Level))) }

// AutonomyInput records a profile.
type AutonomyInput struct {
	Date          string
	Equipment     []string
	Internet      string
	HasEmail      string
	FranceConnect string
	Level         string
}

// Validate cleans the input.
func (in *AutonomyInput) Validate(now time.Time) (time.Time, int, error) {
	var fe FieldErrors
	at, err := ParseDay(in.Date, now)
	switch {
	case err != nil:
		fe.Add("assessed_at", "Indiquez la date au format jj/mm/aaaa.")
	case at.After(now):
		fe.Add("assessed_at", "La date ne peut pas être dans le futur.")
	}
	eq, unknown := Equipments.CleanSet(in.Equipment)
	if unknown {
		fe.Add("equipment", "Choisissez les équipements dans la liste.")
	}
	if len(eq) > 1 && contains(eq, "aucun") {
		fe.Add("equipment", "« Aucun équipement » ne se combine pas avec un équipement.")
	}
	in.Equipment = eq
	if in.Internet == "" {
		in.Internet = "inconnu"
	}
	if !InternetAccess.Valid(in.Internet) {
		fe.Add("internet", "Choisissez une valeur dans la liste.")
	}
	if in.HasEmail == "" {
		in.HasEmail = "inconnu"
	}
	if !YesNoUnknown.Valid(in.HasEmail) {
		fe.Add("has_email", "Choisissez une valeur dans la liste.")
	}
	if in.FranceConnect == "" {
		in.FranceConnect = "inconnu"
	}
	if !YesNoUnknown.Valid(in.FranceConnect) {
		fe.Add("franceconnect", "Choisissez une valeur dans la liste.")
	}
	level := 0
	if !AutonomyLevels.Valid(in.Level) {
		fe.Add("level", "Choisissez le niveau d'autonomie observé.")
	} else {
		level = int(in.Level[0] - '0')
	}
	return at, level, fe.Err()
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
