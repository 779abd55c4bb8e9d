package maillon

import (
	"strconv"
	"strings"
)

// OpeningHours is the subset of the OpenStreetMap opening_hours syntax that
// data·inclusion producers actually write: weekday rules ("Mo-Fr
// 09:00-12:00,14:00-17:00"), lists of days ("Mo,We"), several rules joined
// by ";" where a later rule replaces the days it names, "off", "PH off" and
// "24/7". Month, week, date, sunrise and comment rules are refused with a
// French message rather than misread: a wrong opening time sends a person
// to a closed door.
type OpeningHours struct {
	Always      bool           // "24/7"
	Days        [7][]TimeRange // Monday first; nil: closed
	Set         [7]bool        // whether a rule named the day
	HolidaysOff bool           // "PH off"
	Source      string         // the text as parsed, trimmed
}

// MaxOpeningHoursLen bounds the text of an opening_hours value.
const MaxOpeningHoursLen = 500

var osmDays = []string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}

var frenchDays = []string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}

// ohError is the French message of an unreadable opening_hours value.
func ohError(detail string) *Error {
	msg := "Les horaires ne sont pas au format OpenStreetMap attendu (par exemple « Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off ») : " + detail
	return &Error{Kind: ErrInvalid, Message: msg, Fields: map[string]string{"horaires_accueil": msg}}
}

// ParseOpeningHours reads an opening_hours value; the empty string is the
// zero OpeningHours (hours unknown).
func ParseOpeningHours(s string) (OpeningHours, error) {
	var oh OpeningHours
	s = strings.TrimSpace(s)
	oh.Source = s
	if s == "" {
		return oh, nil
	}
	if len(s) > MaxOpeningHoursLen {
		return oh, ohError("le texte dépasse " + strconv.Itoa(MaxOpeningHoursLen) + " caractères.")
	}
	for _, rule := range strings.Split(s, ";") {
		rule = strings.TrimSpace(rule)
		if rule == "" {
			continue
		}
		if err := oh.addRule(rule); err != nil {
			return OpeningHours{}, err
		}
	}
	return oh, nil
}

func (oh *OpeningHours) addRule(rule string) error {
	if rule == "24/7" {
		oh.Always = true
		for d := range 7 {
			oh.Days[d] = []TimeRange{{0, 24 * 60}}
			oh.Set[d] = true
		}
		return nil
	}
	fields := strings.Fields(rule)
	if fields[0] == "PH" {
		if len(fields) == 2 && (fields[1] == "off" || fields[1] == "closed") {
			oh.HolidaysOff = true
			return nil
		}
		return ohError("seul « PH off » (fermé les jours fériés) est compris pour les jours fériés.")
	}
	var days [7]bool
	rest := fields
	if isDaySelector(fields[0]) {
		var err error
		if days, err = parseDays(fields[0]); err != nil {
			return err
		}
		rest = fields[1:]
	} else {
		for d := range days {
			days[d] = true
		}
	}
	var ranges []TimeRange
	switch {
	case len(rest) == 0:
		ranges = []TimeRange{{0, 24 * 60}}
	case len(rest) == 1 && (rest[0] == "off" || rest[0] == "closed"):
		ranges = nil
	case len(rest) == 1:
		var err error
		if ranges, err = parseRanges(rest[0]); err != nil {
			return err
		}
	default:
		return ohError("« " + rule + " » n'est pas compris (une règle : des jours puis des plages horaires).")
	}
	if oh.Always {
		oh.Always = false
	}
	for d := range 7 {
		if days[d] {
			oh.Days[d] = ranges
			oh.Set[d] = true
		}
	}
	return nil
}

func isDaySelector(s string) bool {
	return len(s) >= 2 && s[0] >= 'A' && s[0] <= 'Z'
}

func dayIndex(s string) int {
	for i, d := range osmDays {
		if d == s {
			return i
		}
	}
	return -1
}

// parseDays reads "Mo-Fr", "Mo,We,Fr" or "Mo-We,Sa".
func parseDays(s string) ([7]bool, error) {
	var days [7]bool
	for _, part := range strings.Split(s, ",") {
		from, to, isRange := strings.Cut(part, "-")
		a := dayIndex(from)
		b := a
		if isRange {
			b = dayIndex(to)
		}
		if a < 0 || b < 0 {
			return days, ohError("« " + part + " » n'est pas un jour (Mo, Tu, We, Th, Fr, Sa, Su).")
		}
		for d := a; ; d = (d + 1) % 7 {
			days[d] = true
			if d == b {
				break
			}
		}
	}
	return days, nil
}

// parseRanges reads "09:00-12:00,14:00-17:30".
func parseRanges(s string) ([]TimeRange, error) {
	var out []TimeRange
	for _, part := range strings.Split(s, ",") {
		from, to, ok := strings.Cut(part, "-")
		start, err1 := ohClock(from, false)
		end, err2 := ohClock(to, true)
		if !ok || err1 != nil || err2 != nil {
			return nil, ohError("« " + part + " » n'est pas une plage horaire (par exemple 09:00-12:30).")
		}
		if end <= start {
			return nil, ohError("la plage « " + part + " » finit avant de commencer.")
		}
		if n := len(out); n > 0 && start < out[n-1].End {
			return nil, ohError("les plages de « " + s + " » se chevauchent ou ne sont pas dans l'ordre.")
		}
		out = append(out, TimeRange{start, end})
	}
	return out, nil
}

func ohClock(s string, end bool) (int, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, ErrInvalid
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || m < 0 || m > 59 || h < 0 || h > 24 || (h == 24 && (m != 0 || !end)) {
		return 0, ErrInvalid
	}
	return h*60 + m, nil
}

// frenchClock writes 540 as "9 h" and 570 as "9 h 30".
func frenchClock(min int) string {
	h, m := min/60, min%60
	if m == 0 {
		return strconv.Itoa(h) + " h"
	}
	return strconv.Itoa(h) + " h " + strconv.Itoa(m/10) + strconv.Itoa(m%10)
}

func frenchRanges(rs []TimeRange) string {
	if len(rs) == 1 && rs[0].Start == 0 && rs[0].End == 24*60 {
		return "toute la journée"
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = "de " + frenchClock(r.Start) + " à " + frenchClock(r.End)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " et " + parts[len(parts)-1]
}

func sameRanges(a, b []TimeRange) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// French renders the hours in plain French, one line per group of
// consecutive days with the same hours: "Du lundi au vendredi : de 9 h à
// 12 h et de 14 h à 17 h". Days no rule named are not listed; closed days
// that a rule named are.
func (oh OpeningHours) French() []string {
	if oh.Source == "" {
		return nil
	}
	if oh.Always {
		lines := []string{"Ouvert 24 h sur 24, 7 jours sur 7"}
		if oh.HolidaysOff {
			lines = append(lines, "Fermé les jours fériés")
		}
		return lines
	}
	var lines []string
	for d := 0; d < 7; {
		if !oh.Set[d] {
			d++
			continue
		}
		e := d
		for e+1 < 7 && oh.Set[e+1] && sameRanges(oh.Days[e+1], oh.Days[d]) {
			e++
		}
		var when string
		switch {
		case e == d:
			when = upperFirst(frenchDays[d])
		case e == d+1:
			when = upperFirst(frenchDays[d]) + " et " + frenchDays[e]
		default:
			when = "Du " + frenchDays[d] + " au " + frenchDays[e]
		}
		if oh.Days[d] == nil {
			lines = append(lines, when+" : fermé")
		} else {
			lines = append(lines, when+" : "+frenchRanges(oh.Days[d]))
		}
		d = e + 1
	}
	if oh.HolidaysOff {
		lines = append(lines, "Fermé les jours fériés")
	}
	return lines
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
