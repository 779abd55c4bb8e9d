package maillon

import (
	"regexp"
	"strings"
)

// CommuneID identifies a commune of a structure's territory.
type CommuneID int64

// ZoneID identifies a named zone (quartier) within a commune.
type ZoneID int64

// Commune is a commune where the structure works, by its INSEE code.
type Commune struct {
	ID          CommuneID
	StructureID StructureID
	INSEE       string
	Name        string
	Department  string // from a communes import; empty when entered by hand
	Population  int    // municipal population from an import; 0 when unknown
	Zones       []Zone
}

// Zone is a named area within a commune: a quartier, possibly a quartier
// prioritaire de la politique de la ville (QPV) with its official code.
type Zone struct {
	ID        ZoneID
	CommuneID CommuneID
	Name      string
	QPVCode   string
}

// IsQPV reports whether the zone is a quartier prioritaire.
func (z Zone) IsQPV() bool { return z.QPVCode != "" }

// Territory is a structure's territory of activity.
type Territory struct {
	Communes []Commune
}

// ZoneCount counts the zones of all communes.
func (t Territory) ZoneCount() int {
	n := 0
	for _, c := range t.Communes {
		n += len(c.Zones)
	}
	return n
}

var (
	inseeCode = regexp.MustCompile(`^([0-9]{5}|2[AB][0-9]{3})$`)
	// QPV codes: "QP" + department + number for the 2015 list, "QN" + … for
	// the 2024 list; both are 8 upper-case letters and digits.
	qpvCode = regexp.MustCompile(`^Q[PN][0-9A-Z]{6}$`)
)

// CommuneInput holds a commune to add.
type CommuneInput struct {
	INSEE string
	Name  string
}

// Validate cleans the input.
func (in *CommuneInput) Validate() error {
	var fe FieldErrors
	in.INSEE = strings.ToUpper(strings.TrimSpace(in.INSEE))
	if in.INSEE == "" {
		fe.Add("insee", "Indiquez le code INSEE de la commune.")
	} else if !inseeCode.MatchString(in.INSEE) {
		fe.Add("insee", "Le code INSEE comporte 5 caractères, par exemple 69259 ou 2A004 (ce n'est pas le code postal).")
	}
	in.Name = requiredText(&fe, "commune_name", "le nom de la commune", in.Name, MaxNameLen)
	return fe.Err()
}

// ZoneInput holds a zone to add to a commune.
type ZoneInput struct {
	CommuneID CommuneID
	Name      string
	QPVCode   string
}

// Validate cleans the input.
func (in *ZoneInput) Validate() error {
	var fe FieldErrors
	if in.CommuneID <= 0 {
		fe.Add("commune_id", "Choisissez la commune du quartier.")
	}
	in.Name = requiredText(&fe, "zone_name", "le nom du quartier", in.Name, MaxNameLen)
	in.QPVCode = strings.ToUpper(strings.TrimSpace(in.QPVCode))
	if in.QPVCode != "" && !qpvCode.MatchString(in.QPVCode) {
		fe.Add("qpv_code", "Le code QPV comporte 8 caractères et commence par QP ou QN, par exemple QN06901M.")
	}
	return fe.Err()
}
