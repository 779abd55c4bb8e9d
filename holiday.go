package maillon

import "time"

// HolidayCalendar names the set of public holidays (jours fériés) that
// applies to a structure.
type HolidayCalendar string

// Supported calendars. Alsace-Moselle adds Good Friday and 26 December
// (local law, code du travail L. 3134-13).
const (
	HolidaysMetropole     HolidayCalendar = "metropole"
	HolidaysAlsaceMoselle HolidayCalendar = "alsace-moselle"
)

// HolidayCalendars lists the calendars for forms.
var HolidayCalendars = []HolidayCalendar{HolidaysMetropole, HolidaysAlsaceMoselle}

// Valid reports whether c is known.
func (c HolidayCalendar) Valid() bool {
	return c == HolidaysMetropole || c == HolidaysAlsaceMoselle
}

// Label is the French name of the calendar.
func (c HolidayCalendar) Label() string {
	switch c {
	case HolidaysAlsaceMoselle:
		return "Alsace-Moselle (avec Vendredi saint et 26 décembre)"
	default:
		return "France métropolitaine"
	}
}

// Holiday is a named public holiday.
type Holiday struct {
	Date time.Time // midnight, Paris time
	Name string
}

// Holidays returns the public holidays of year y in calendar c, in order.
// The eleven holidays of the code du travail (L. 3133-1) are computed, the
// movable ones from Easter.
func (c HolidayCalendar) Holidays(y int) []Holiday {
	d := func(m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, Paris) }
	easter := easterSunday(y)
	hs := []Holiday{
		{d(time.January, 1), "Jour de l'an"},
	}
	if c == HolidaysAlsaceMoselle {
		hs = append(hs, Holiday{easter.AddDate(0, 0, -2), "Vendredi saint"})
	}
	hs = append(hs,
		Holiday{easter.AddDate(0, 0, 1), "Lundi de Pâques"},
		Holiday{d(time.May, 1), "Fête du Travail"},
		Holiday{d(time.May, 8), "Victoire 1945"},
		Holiday{easter.AddDate(0, 0, 39), "Ascension"},
		Holiday{easter.AddDate(0, 0, 50), "Lundi de Pentecôte"},
		Holiday{d(time.July, 14), "Fête nationale"},
		Holiday{d(time.August, 15), "Assomption"},
		Holiday{d(time.November, 1), "Toussaint"},
		Holiday{d(time.November, 11), "Armistice 1918"},
		Holiday{d(time.December, 25), "Noël"},
	)
	if c == HolidaysAlsaceMoselle {
		hs = append(hs, Holiday{d(time.December, 26), "Saint-Étienne"})
	}
	// Ascension can fall on 1 or 8 May; keep the order by date.
	for i := 1; i < len(hs); i++ {
		for j := i; j > 0 && hs[j].Date.Before(hs[j-1].Date); j-- {
			hs[j], hs[j-1] = hs[j-1], hs[j]
		}
	}
	return hs
}

// IsHoliday reports whether the Paris calendar day of t is a public holiday.
func (c HolidayCalendar) IsHoliday(t time.Time) bool {
	p := InParis(t)
	for _, h := range c.Holidays(p.Year()) {
		if h.Date.Month() == p.Month() && h.Date.Day() == p.Day() {
			return true
		}
	}
	return false
}

// easterSunday computes Gregorian Easter with the anonymous (Meeus/Jones/
// Butcher) algorithm.
func easterSunday(y int) time.Time {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, Paris)
}
