package ui_test

import (
	"testing"
	"time"

	"maillon"
	"maillon/internal/ui"
)

func paris(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, maillon.Paris)
}

func TestDate(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"first of the month is 1er", paris(2026, 3, 1, 12, 0), "1er mars 2026"},
		{"ordinary day", paris(2026, 3, 10, 12, 0), "10 mars 2026"},
		{"second of the month", paris(2026, 3, 2, 12, 0), "2 mars 2026"},
		{"accented month", paris(2026, 2, 14, 12, 0), "14 février 2026"},
		{"August", paris(2026, 8, 15, 12, 0), "15 août 2026"},
		{"December", paris(2026, 12, 31, 12, 0), "31 décembre 2026"},
		{"UTC evening already next day in Paris", time.Date(2026, 2, 28, 23, 30, 0, 0, time.UTC), "1er mars 2026"},
		{"UTC New Year's Eve already next year in Paris", time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), "1er janvier 2026"},
		{"zero time is empty", time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ui.Date(tt.t); got != tt.want {
				t.Fatalf("Date(%v) = %q, want %q", tt.t, got, tt.want)
			}
		})
	}
}

func TestLongDate(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{paris(2026, 3, 10, 12, 0), "mardi 10 mars 2026"},
		{paris(2026, 3, 1, 12, 0), "dimanche 1er mars 2026"},
		{paris(2026, 3, 14, 12, 0), "samedi 14 mars 2026"},
		{time.Date(2026, 3, 9, 23, 30, 0, 0, time.UTC), "mardi 10 mars 2026"},
		{time.Time{}, ""},
	}
	for _, tt := range tests {
		if got := ui.LongDate(tt.t); got != tt.want {
			t.Errorf("LongDate(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestClock(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{paris(2026, 3, 10, 14, 5), "14 h 05"},
		{paris(2026, 3, 10, 9, 0), "9 h 00"},
		{paris(2026, 3, 10, 0, 7), "0 h 07"},
		{paris(2026, 3, 10, 23, 59), "23 h 59"},
		{time.Time{}, ""},
	}
	for _, tt := range tests {
		if got := ui.Clock(tt.t); got != tt.want {
			t.Errorf("Clock(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestDateTimeAcrossDST(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"winter: UTC+1", time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC), "14 janvier 2026 à 13 h 00"},
		{"summer: UTC+2", time.Date(2026, 7, 14, 12, 0, 0, 0, time.UTC), "14 juillet 2026 à 14 h 00"},
		{"just before the spring change", time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), "29 mars 2026 à 1 h 59"},
		{"just after the spring change", time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), "29 mars 2026 à 3 h 00"},
		{"first 2:30 of the autumn change", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "25 octobre 2026 à 2 h 30"},
		{"second 2:30 of the autumn change", time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), "25 octobre 2026 à 2 h 30"},
		{"another zone is converted too", time.Date(2026, 7, 14, 8, 0, 0, 0, time.FixedZone("EDT", -4*3600)), "14 juillet 2026 à 14 h 00"},
		{"zero time is empty", time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ui.DateTime(tt.t); got != tt.want {
				t.Fatalf("DateTime(%v) = %q, want %q", tt.t, got, tt.want)
			}
		})
	}
}

func TestISODateTime(t *testing.T) {
	if got := ui.ISODateTime(time.Date(2026, 7, 14, 12, 0, 0, 0, time.UTC)); got != "2026-07-14T14:00:00+02:00" {
		t.Errorf("summer: %q", got)
	}
	if got := ui.ISODateTime(time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC)); got != "2026-01-14T13:00:00+01:00" {
		t.Errorf("winter: %q", got)
	}
}

func TestNumber(t *testing.T) {
	const nnbsp = "\u202f"
	tests := []struct {
		n    int
		want string
	}{
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{1000, "1" + nnbsp + "000"},
		{12345, "12" + nnbsp + "345"},
		{123456, "123" + nnbsp + "456"},
		{1234567, "1" + nnbsp + "234" + nnbsp + "567"},
		{-5, "-5"},
		{-999, "-999"},
		{-1000, "-1" + nnbsp + "000"},
		{-1234567, "-1" + nnbsp + "234" + nnbsp + "567"},
	}
	for _, tt := range tests {
		if got := ui.Number(tt.n); got != tt.want {
			t.Errorf("Number(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestDuration(t *testing.T) {
	for n, want := range map[int]string{0: "0 min", -3: "0 min", 1: "1 min", 45: "45 min", 60: "1 h", 65: "1 h 05 min",
		135: "2 h 15 min", 720: "12 h", 60 * 1500: "1\u202f500 h"} {
		if got := ui.Duration(n); got != want {
			t.Errorf("Duration(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPlural(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "équipe"}, // French: zero is singular
		{1, "équipe"},
		{2, "équipes"},
		{10, "équipes"},
		{-1, "équipe"},
		{-2, "équipes"},
	}
	for _, tt := range tests {
		if got := ui.Plural(tt.n, "équipe", "équipes"); got != tt.want {
			t.Errorf("Plural(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestDays(t *testing.T) {
	for d, want := range map[float64]string{-1: "–", 0: "0 jour", 1: "1 jour", 2: "2 jours", 2.5: "2,5 jours", 3.333: "3,3 jours"} {
		if got := ui.Days(d); got != want {
			t.Errorf("Days(%v) = %q, want %q", d, got, want)
		}
	}
}
