package maillon

import (
	"regexp"
	"strings"
	"time"
)

// StructureID identifies a structure de médiation.
type StructureID int64

// Structure is a mediation service (association, local authority service,
// bailleur, transport company…). Every domain record belongs to one.
type Structure struct {
	ID          StructureID
	Name        string
	SIRET       string // 14 digits, or empty
	Address     Address
	Email       string
	Phone       string
	OfficeHours OfficeHours
	Holidays    HolidayCalendar
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Address is a postal address in France.
type Address struct {
	Line       string // number and street, building
	PostalCode string // 5 digits
	City       string
}

// String formats the address on one line.
func (a Address) String() string {
	parts := []string{}
	if a.Line != "" {
		parts = append(parts, a.Line)
	}
	pc := strings.TrimSpace(a.PostalCode + " " + a.City)
	if pc != "" {
		parts = append(parts, pc)
	}
	return strings.Join(parts, ", ")
}

// StructureInput holds the editable fields of a structure, as forms and the
// API send them. OfficeHours is in the text form parsed by ParseOfficeHours.
type StructureInput struct {
	Name        string
	SIRET       string
	Address     Address
	Email       string
	Phone       string
	OfficeHours [7]string // Monday first
	Holidays    HolidayCalendar
}

// Validate cleans the input and returns the parsed office hours.
func (in *StructureInput) Validate() (OfficeHours, error) {
	var fe FieldErrors
	in.Name = requiredText(&fe, "name", "le nom de la structure", in.Name, MaxNameLen)
	in.SIRET = strings.ReplaceAll(strings.TrimSpace(in.SIRET), " ", "")
	if in.SIRET != "" {
		if msg := ValidateSIRET(in.SIRET); msg != "" {
			fe.Add("siret", msg)
		}
	}
	in.Address.Line = optionalText(&fe, "address_line", in.Address.Line, MaxShortTextLen, false)
	in.Address.PostalCode = strings.TrimSpace(in.Address.PostalCode)
	if in.Address.PostalCode != "" && !postalCode.MatchString(in.Address.PostalCode) {
		fe.Add("postal_code", "Le code postal comporte 5 chiffres, par exemple 69200.")
	}
	in.Address.City = optionalText(&fe, "city", in.Address.City, MaxNameLen, false)
	in.Email = NormalizeEmail(in.Email)
	if in.Email != "" {
		if msg := ValidateEmail(in.Email); msg != "" {
			fe.Add("email", msg)
		}
	}
	in.Phone = optionalText(&fe, "phone", in.Phone, 25, false)
	if in.Phone != "" {
		if msg := ValidatePhone(in.Phone); msg != "" {
			fe.Add("phone", msg)
		}
	}
	var oh OfficeHours
	for d := range 7 {
		ranges, msg := parseDayHours(in.OfficeHours[d])
		if msg != "" {
			fe.Add(OfficeHoursField(d), msg)
			continue
		}
		oh[d] = ranges
	}
	if in.Holidays == "" {
		in.Holidays = HolidaysMetropole
	}
	if !in.Holidays.Valid() {
		fe.Add("holidays", "Choisissez un calendrier de jours fériés dans la liste.")
	}
	return oh, fe.Err()
}

// OfficeHoursField is the form field name of a weekday's office hours
// (0 = Monday).
func OfficeHoursField(day int) string { return "hours_" + weekdayKeys[day] }

var weekdayKeys = [7]string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}

// WeekdayNames are the French day names, Monday first.
var WeekdayNames = [7]string{"Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"}

var postalCode = regexp.MustCompile(`^[0-9]{5}$`)

// ValidateSIRET checks a SIRET number: 14 digits and the Luhn key, with
// La Poste's documented exception (SIREN 356000000, digit sum multiple of 5).
func ValidateSIRET(s string) string {
	if len(s) != 14 {
		return "Le SIRET comporte 14 chiffres."
	}
	sum, luhn := 0, 0
	for i := range 14 {
		c := s[i]
		if c < '0' || c > '9' {
			return "Le SIRET ne contient que des chiffres."
		}
		d := int(c - '0')
		sum += d
		if i%2 == 0 { // from the left, on 14 digits: every other starting with the first
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		luhn += d
	}
	// Some La Poste establishments fail the Luhn key but have a digit sum
	// that is a multiple of 5; others, the head office 35600000000048 among
	// them, pass the Luhn key.
	if luhn%10 == 0 || (strings.HasPrefix(s, "356000000") && sum%5 == 0) {
		return ""
	}
	return "Ce numéro SIRET n'est pas valide : vérifiez les chiffres saisis."
}

// TeamID identifies a team (équipe) within a structure.
type TeamID int64

// Team is an équipe of a structure.
type Team struct {
	ID          TeamID
	StructureID StructureID
	Name        string
	Description string
	MemberCount int // filled by list queries
	CreatedAt   time.Time
}

// TeamInput holds the editable fields of a team.
type TeamInput struct {
	Name        string
	Description string
}

// Validate cleans the input.
func (in *TeamInput) Validate() error {
	var fe FieldErrors
	in.Name = requiredText(&fe, "name", "le nom de l'équipe", in.Name, MaxNameLen)
	in.Description = optionalText(&fe, "description", in.Description, MaxShortTextLen, false)
	return fe.Err()
}
