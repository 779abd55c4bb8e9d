package maillon_test

import (
	"testing"
	"time"

	"maillon"
)

func date(y int, m time.Month, d int) string {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

func TestHolidays2026(t *testing.T) {
	metropole := []struct{ date, name string }{
		{date(2026, 1, 1), "Jour de l'an"},
		{date(2026, 4, 6), "Lundi de Pâques"},
		{date(2026, 5, 1), "Fête du Travail"},
		{date(2026, 5, 8), "Victoire 1945"},
		{date(2026, 5, 14), "Ascension"},
		{date(2026, 5, 25), "Lundi de Pentecôte"},
		{date(2026, 7, 14), "Fête nationale"},
		{date(2026, 8, 15), "Assomption"},
		{date(2026, 11, 1), "Toussaint"},
		{date(2026, 11, 11), "Armistice 1918"},
		{date(2026, 12, 25), "Noël"},
	}
	alsace := []struct{ date, name string }{
		metropole[0],
		{date(2026, 4, 3), "Vendredi saint"},
		metropole[1], metropole[2], metropole[3], metropole[4], metropole[5],
		metropole[6], metropole[7], metropole[8], metropole[9], metropole[10],
		{date(2026, 12, 26), "Saint-Étienne"},
	}
	tests := []struct {
		cal  maillon.HolidayCalendar
		want []struct{ date, name string }
	}{
		{maillon.HolidaysMetropole, metropole},
		{maillon.HolidaysAlsaceMoselle, alsace},
	}
	for _, tt := range tests {
		t.Run(string(tt.cal), func(t *testing.T) {
			got := tt.cal.Holidays(2026)
			if len(got) != len(tt.want) {
				t.Fatalf("%d holidays, want %d: %v", len(got), len(tt.want), got)
			}
			for i, h := range got {
				if d := h.Date.Format(time.DateOnly); d != tt.want[i].date || h.Name != tt.want[i].name {
					t.Errorf("holiday %d = %s %q, want %s %q", i, d, h.Name, tt.want[i].date, tt.want[i].name)
				}
				if h.Date.Location() != maillon.Paris || h.Date.Hour() != 0 || h.Date.Minute() != 0 {
					t.Errorf("holiday %q at %v, want midnight in Paris", h.Name, h.Date)
				}
			}
		})
	}
}

func TestEasterDates(t *testing.T) {
	// Known Gregorian Easter Sundays; Easter Monday is the day after.
	tests := []struct {
		year   int
		easter string
	}{
		{2000, "2000-04-23"},
		{2008, "2008-03-23"},
		{2011, "2011-04-24"},
		{2019, "2019-04-21"},
		{2024, "2024-03-31"},
		{2025, "2025-04-20"},
		{2026, "2026-04-05"},
		{2027, "2027-03-28"},
		{2038, "2038-04-25"},
		{2285, "2285-03-22"}, // earliest possible date
	}
	for _, tt := range tests {
		t.Run(tt.easter, func(t *testing.T) {
			byName := map[string]time.Time{}
			for _, h := range maillon.HolidaysAlsaceMoselle.Holidays(tt.year) {
				byName[h.Name] = h.Date
			}
			easter, _ := time.ParseInLocation(time.DateOnly, tt.easter, maillon.Paris)
			for name, offset := range map[string]int{"Vendredi saint": -2, "Lundi de Pâques": 1, "Ascension": 39, "Lundi de Pentecôte": 50} {
				want := easter.AddDate(0, 0, offset).Format(time.DateOnly)
				if got := byName[name].Format(time.DateOnly); got != want {
					t.Errorf("%s %d = %s, want %s", name, tt.year, got, want)
				}
			}
		})
	}
}

func TestHolidaysAreInDateOrder(t *testing.T) {
	// Ascension moves: on 1 May in 2008, on 30 April in 2285, in June in
	// 2038; the list must stay sorted whatever the year.
	for _, year := range []int{2008, 2024, 2026, 2038, 2285} {
		for _, cal := range maillon.HolidayCalendars {
			hs := cal.Holidays(year)
			for i := 1; i < len(hs); i++ {
				if hs[i].Date.Before(hs[i-1].Date) {
					t.Errorf("%s %d: %s (%s) listed after %s (%s)", cal, year,
						hs[i].Name, hs[i].Date.Format(time.DateOnly), hs[i-1].Name, hs[i-1].Date.Format(time.DateOnly))
				}
			}
		}
	}
}

func TestIsHoliday(t *testing.T) {
	tests := []struct {
		name string
		cal  maillon.HolidayCalendar
		at   time.Time
		want bool
	}{
		{"Christmas morning", maillon.HolidaysMetropole, paris(2026, 12, 25, 9, 0), true},
		{"Christmas Eve", maillon.HolidaysMetropole, paris(2026, 12, 24, 9, 0), false},
		{"Christmas Eve 23:30 UTC is Christmas in Paris", maillon.HolidaysMetropole, utc(2026, 12, 24, 23, 30), true},
		{"Christmas 23:30 UTC is 26 December in Paris", maillon.HolidaysMetropole, utc(2026, 12, 25, 23, 30), false},
		{"26 December in Alsace-Moselle", maillon.HolidaysAlsaceMoselle, paris(2026, 12, 26, 9, 0), true},
		{"Good Friday in metropole", maillon.HolidaysMetropole, paris(2026, 4, 3, 9, 0), false},
		{"Good Friday in Alsace-Moselle", maillon.HolidaysAlsaceMoselle, paris(2026, 4, 3, 9, 0), true},
		{"Easter Monday of another year", maillon.HolidaysMetropole, paris(2027, 3, 29, 9, 0), true},
		{"last minute of 8 May", maillon.HolidaysMetropole, paris(2026, 5, 8, 23, 59), true},
		{"an ordinary Tuesday", maillon.HolidaysMetropole, paris(2026, 3, 10, 9, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cal.IsHoliday(tt.at); got != tt.want {
				t.Fatalf("%s.IsHoliday(%s) = %v, want %v", tt.cal, tt.at.Format(time.RFC3339), got, tt.want)
			}
		})
	}
}

func TestHolidayCalendarValidAndLabel(t *testing.T) {
	for _, c := range maillon.HolidayCalendars {
		if !c.Valid() {
			t.Errorf("%q is listed but not valid", c)
		}
	}
	for _, c := range []maillon.HolidayCalendar{"", "Metropole", "bretagne"} {
		if c.Valid() {
			t.Errorf("%q is valid", c)
		}
	}
	if maillon.HolidaysMetropole.Label() == maillon.HolidaysAlsaceMoselle.Label() {
		t.Error("both calendars share a label")
	}
}
