package maillon

import (
	"fmt"
	"strings"
	"time"
)

// TimeRange is an interval within a day, in minutes since midnight.
type TimeRange struct {
	Start, End int
}

// String formats the range as "09:00-12:30".
func (r TimeRange) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", r.Start/60, r.Start%60, r.End/60, r.End%60)
}

// OfficeHours are a structure's usual opening hours, Monday first. Work
// done outside them, or on a public holiday, is "hors horaires": the job is
// done in the evening and at weekends too, and funders ask how much.
type OfficeHours [7][]TimeRange

// Day returns the ranges of a weekday formatted for a form field.
func (oh OfficeHours) Day(d int) string {
	parts := make([]string, len(oh[d]))
	for i, r := range oh[d] {
		parts[i] = r.String()
	}
	return strings.Join(parts, ", ")
}

// Encode serialises the hours for storage: seven day fields separated by
// ";", each a comma-separated list of ranges.
func (oh OfficeHours) Encode() string {
	days := make([]string, 7)
	for d := range 7 {
		days[d] = strings.ReplaceAll(oh.Day(d), " ", "")
	}
	return strings.Join(days, ";")
}

// DecodeOfficeHours parses the storage form written by Encode.
func DecodeOfficeHours(s string) (OfficeHours, error) {
	var oh OfficeHours
	if s == "" {
		return oh, nil
	}
	days := strings.Split(s, ";")
	if len(days) != 7 {
		return oh, fmt.Errorf("office hours: %d days, want 7", len(days))
	}
	for d, text := range days {
		ranges, msg := parseDayHours(text)
		if msg != "" {
			return oh, fmt.Errorf("office hours day %d: %s", d, msg)
		}
		oh[d] = ranges
	}
	return oh, nil
}

// DefaultOfficeHours are the hours of a new structure: weekdays 9:00-12:30
// and 13:30-17:30.
func DefaultOfficeHours() OfficeHours {
	var oh OfficeHours
	for d := range 5 {
		oh[d] = []TimeRange{{9 * 60, 12*60 + 30}, {13*60 + 30, 17*60 + 30}}
	}
	return oh
}

// parseDayHours reads "9h-12h30, 14:00-17:30"; an empty text means closed.
func parseDayHours(s string) ([]TimeRange, string) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "fermé") || strings.EqualFold(s, "ferme") {
		return nil, ""
	}
	if len(s) > 100 {
		return nil, "Indiquez au plus quelques plages horaires, par exemple 09:00-12:30, 13:30-17:30."
	}
	var out []TimeRange
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		a, b, ok := strings.Cut(part, "-")
		if !ok {
			return nil, "Écrivez chaque plage sous la forme 09:00-12:30, séparées par des virgules."
		}
		start, ok1 := parseClock(a)
		end, ok2 := parseClock(b)
		if !ok1 || !ok2 {
			return nil, "Heure non reconnue : écrivez par exemple 09:00-12:30 ou 9h-12h30."
		}
		if end <= start {
			return nil, "Chaque plage doit finir après son début (" + part + ")."
		}
		if len(out) > 0 && start < out[len(out)-1].End {
			return nil, "Les plages doivent se suivre sans se chevaucher."
		}
		out = append(out, TimeRange{start, end})
	}
	return out, ""
}

func parseClock(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	var h, m int
	hs, ms, found := strings.Cut(s, ":")
	if !found {
		hs, ms, found = strings.Cut(s, "h")
	}
	if !found {
		hs, ms = s, ""
	}
	if !digits(hs, 1, 2) || (ms != "" && !digits(ms, 2, 2)) {
		return 0, false
	}
	fmt.Sscanf(hs, "%d", &h)
	if ms != "" {
		fmt.Sscanf(ms, "%d", &m)
	}
	if h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

func digits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// OutsideOfficeHours reports whether an activity starting at t (any zone)
// falls outside the structure's office hours: a public holiday, a day
// without hours, or a time outside every range, in Paris time.
func (s *Structure) OutsideOfficeHours(t time.Time) bool {
	p := InParis(t)
	if s.Holidays.IsHoliday(p) {
		return true
	}
	day := (int(p.Weekday()) + 6) % 7 // Monday = 0
	min := p.Hour()*60 + p.Minute()
	for _, r := range s.OfficeHours[day] {
		if min >= r.Start && min < r.End {
			return false
		}
	}
	return true
}

// IsEmpty reports whether no day has hours.
func (oh OfficeHours) IsEmpty() bool {
	for _, d := range oh {
		if len(d) > 0 {
			return false
		}
	}
	return true
}
