package maillon

import (
	"strings"
	"testing"
	"time"
)

func TestTourneeInputValidate(t *testing.T) {
	now := time.Date(2026, 3, 10, 21, 0, 0, 0, Paris)
	base := func() TourneeInput {
		return TourneeInput{ZoneID: 1, Date: "2026-03-10", Time: "20:30", Members: []UserID{1, 2}}
	}
	in := base()
	start, expected, err := in.Validate(now)
	if err != nil || !expected.IsZero() || !start.Equal(time.Date(2026, 3, 10, 20, 30, 0, 0, Paris)) {
		t.Fatalf("team tournée: %v %v %v", start, expected, err)
	}
	// Alone past midnight: the expected end is the next day.
	in = base()
	in.Members, in.ExpectedEnd = []UserID{1, 1}, "00:30"
	if _, expected, err = in.Validate(now); err != nil || !expected.Equal(time.Date(2026, 3, 11, 0, 30, 0, 0, Paris)) {
		t.Errorf("alone until 00:30: %v %v", expected, err)
	}
	for _, c := range []struct {
		expected, msg string
	}{
		{"", "indiquez l'heure de retour"},
		{"20:00", "déjà passée"},
		{"12:00", "déjà passée"},
		{"ab", "par exemple"},
	} {
		in = base()
		in.Members, in.ExpectedEnd = []UserID{1}, c.expected
		_, _, err := in.Validate(now)
		if got := FieldsOf(err)["expected_end"]; !strings.Contains(strings.ToLower(got), strings.ToLower(c.msg)) {
			t.Errorf("expected end %q: %q, want %q", c.expected, got, c.msg)
		}
	}
	// Alone, entered the next morning: over, so no return to watch.
	in = base()
	in.Date, in.Members = "2026-03-09", []UserID{1}
	if _, expected, err = in.Validate(now); err != nil || !expected.IsZero() {
		t.Errorf("lone tournée entered afterwards: %v %v", expected, err)
	}
}

func TestTourneePlannedAhead(t *testing.T) {
	now := time.Date(2026, 3, 10, 21, 0, 0, 0, Paris)
	in := TourneeInput{ZoneID: 1, Date: "2026-03-10", Time: "22:00", Members: []UserID{1}, ExpectedEnd: "21:30"}
	if _, _, err := in.Validate(now); !strings.Contains(FieldsOf(err)["expected_end"], "14 prochaines heures") {
		t.Errorf("expected end before a planned start: %v", err)
	}
	in.Date = "2026-03-11"
	if _, _, err := in.Validate(now); !strings.Contains(FieldsOf(err)["date"], "14 heures") {
		t.Errorf("start a day ahead: %v", err)
	}
}

func TestTourneeEndInputValidate(t *testing.T) {
	now := time.Date(2026, 3, 11, 0, 20, 0, 0, Paris)
	start := time.Date(2026, 3, 10, 21, 0, 0, 0, Paris)
	// 23:50 is ahead of now today, so it is yesterday's.
	end, err := TourneeEndInput{Time: "23:50"}.Validate(start, now)
	if err != nil || !end.Equal(time.Date(2026, 3, 10, 23, 50, 0, 0, Paris)) {
		t.Errorf("end 23:50: %v %v", end, err)
	}
	if end, err := (TourneeEndInput{}).Validate(start, now); err != nil || !end.Equal(now) {
		t.Errorf("end now: %v %v", end, err)
	}
	if _, err := (TourneeEndInput{Time: "20:00"}).Validate(start, now); !strings.Contains(FieldsOf(err)["end_time"], "suivre son début (21:00)") {
		t.Errorf("end before start: %v", err)
	}
	for _, c := range []struct{ date, clock, msg string }{
		{"2026-03-11", "09:00", "futur"},
		{"2026-03-11", "12:00", "futur"},
		{"2026-03-09", "22:00", "suivre son début"},
		{"2026-03-10", "nope", "par exemple"},
	} {
		_, err := TourneeEndInput{Date: c.date, Time: c.clock}.Validate(start, now)
		if !strings.Contains(FieldsOf(err)["end_time"], c.msg) {
			t.Errorf("end %s %s: %v, want %q", c.date, c.clock, err, c.msg)
		}
	}
	if _, err := (TourneeEndInput{Date: "2026-03-11", Time: "00:10"}).Validate(time.Date(2026, 3, 10, 10, 0, 0, 0, Paris), now); !strings.Contains(FieldsOf(err)["end_time"], "14 heures") {
		t.Errorf("a 14 h 10 tournée: %v", err)
	}
	if end, err := (TourneeEndInput{Date: "2026-03-10", Time: "23:15"}).Validate(start, now); err != nil || InParis(end).Format("15:04") != "23:15" {
		t.Errorf("end with a day: %v %v", end, err)
	}
}

func TestTourneeCounters(t *testing.T) {
	codes := TourneeCounterCodes()
	if len(codes) != len(TourneeCounters)+len(AgeBands)+len(Genders) {
		t.Fatalf("codes = %v", codes)
	}
	for _, c := range codes {
		if !ValidTourneeCounter(c) || TourneeCounterLabel(c) == c {
			t.Errorf("counter %q: valid %v, label %q", c, ValidTourneeCounter(c), TourneeCounterLabel(c))
		}
	}
	for _, bad := range []string{"", "age_", "genre_x", "age_femme", "nom"} {
		if ValidTourneeCounter(bad) {
			t.Errorf("%q is valid", bad)
		}
	}
}

func TestCheckInLateText(t *testing.T) {
	end := time.Date(2026, 3, 10, 12, 0, 0, 0, Paris)
	c := CheckIn{ExpectedEndAt: end}
	for d, want := range map[time.Duration]string{
		-time.Minute: "0 min", 25 * time.Minute: "25 min", 125 * time.Minute: "2 h 05", 47 * time.Hour: "47 h 00", 75 * time.Hour: "3 j",
	} {
		if got := c.LateText(end.Add(d)); got != want {
			t.Errorf("late by %v: %q, want %q", d, got, want)
		}
	}
	c.CheckedOutAt = end
	if c.Overdue(end.Add(time.Hour)) {
		t.Error("a closed check-in is overdue")
	}
}
