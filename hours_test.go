package maillon_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"maillon"
)

// parseDay parses text as Monday's office hours through StructureInput,
// the way forms reach the parser, and returns the ranges or the message.
func parseDay(t *testing.T, text string) ([]maillon.TimeRange, string) {
	t.Helper()
	in := maillon.StructureInput{Name: "Médiaction"}
	in.OfficeHours[0] = text
	oh, err := in.Validate()
	if err == nil {
		return oh[0], ""
	}
	fields := fieldErrors(t, err)
	msg, ok := fields["hours_lundi"]
	if !ok || len(fields) != 1 {
		t.Fatalf("Validate() fields = %v, want only hours_lundi", fields)
	}
	return nil, msg
}

func hm(h, m int) int { return h*60 + m }

func TestParseOfficeHours(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    []maillon.TimeRange
		wantMsg string // fragment of the message
	}{
		{"French and colon notations mixed", "9h-12h30, 14:00-17:30", []maillon.TimeRange{{hm(9, 0), hm(12, 30)}, {hm(14, 0), hm(17, 30)}}, ""},
		{"upper-case H and spaces around the dash", "9H - 12H30", []maillon.TimeRange{{hm(9, 0), hm(12, 30)}}, ""},
		{"bare hours", "9-17", []maillon.TimeRange{{hm(9, 0), hm(17, 0)}}, ""},
		{"leading zeros", "08:05-09:55", []maillon.TimeRange{{hm(8, 5), hm(9, 55)}}, ""},
		{"until midnight written 24:00", "18:00-24:00", []maillon.TimeRange{{hm(18, 0), hm(24, 0)}}, ""},
		{"whole day", "0h-24h", []maillon.TimeRange{{0, hm(24, 0)}}, ""},
		{"ranges touching", "9h-12h, 12h-14h", []maillon.TimeRange{{hm(9, 0), hm(12, 0)}, {hm(12, 0), hm(14, 0)}}, ""},
		{"empty means closed", "", nil, ""},
		{"blank means closed", "   ", nil, ""},
		{"fermé means closed", "fermé", nil, ""},
		{"Fermé capitalised means closed", " Fermé ", nil, ""},
		{"ferme without accent means closed", "FERME", nil, ""},
		{"overlapping ranges", "9h-12h, 11h-14h", nil, "sans se chevaucher"},
		{"ranges out of order", "14h-17h, 9h-12h", nil, "sans se chevaucher"},
		{"reversed range", "17h-9h", nil, "finir après son début (17h-9h)"},
		{"empty range", "9h-9h", nil, "finir après son début"},
		{"garbage", "le matin", nil, "sous la forme 09:00-12:30"},
		{"trailing comma", "9h-12h,", nil, "sous la forme 09:00-12:30"},
		{"words around a dash", "matin-soir", nil, "Heure non reconnue"},
		{"hour 25", "9h-25h", nil, "Heure non reconnue"},
		{"24:30 does not exist", "18:00-24:30", nil, "Heure non reconnue"},
		{"minute 60", "9h60-12h", nil, "Heure non reconnue"},
		{"one-digit minutes", "9h5-12h", nil, "Heure non reconnue"},
		{"three-digit hour", "009h-12h", nil, "Heure non reconnue"},
		{"negative hour", "-1h-12h", nil, "Heure non reconnue"},
		{"too long a text", strings.Repeat("9h-10h, ", 20), nil, "au plus quelques plages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := parseDay(t, tt.text)
			if tt.wantMsg != "" {
				if !strings.Contains(msg, tt.wantMsg) {
					t.Fatalf("parsing %q: message %q, want one containing %q", tt.text, msg, tt.wantMsg)
				}
				return
			}
			if msg != "" {
				t.Fatalf("parsing %q: unexpected message %q", tt.text, msg)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("parsing %q = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestTimeRangeString(t *testing.T) {
	tests := []struct {
		r    maillon.TimeRange
		want string
	}{
		{maillon.TimeRange{hm(9, 0), hm(12, 30)}, "09:00-12:30"},
		{maillon.TimeRange{0, hm(24, 0)}, "00:00-24:00"},
		{maillon.TimeRange{hm(13, 5), hm(17, 55)}, "13:05-17:55"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.r, got, tt.want)
		}
	}
}

func TestOfficeHoursDayFeedsTheForm(t *testing.T) {
	oh := maillon.DefaultOfficeHours()
	if got, want := oh.Day(0), "09:00-12:30, 13:30-17:30"; got != want {
		t.Fatalf("Day(0) = %q, want %q", got, want)
	}
	if got := oh.Day(5); got != "" {
		t.Fatalf("Day(5) = %q, want empty for Saturday", got)
	}
	// What the form shows must parse back to the same ranges.
	got, msg := parseDay(t, oh.Day(0))
	if msg != "" || !reflect.DeepEqual(got, oh[0]) {
		t.Fatalf("re-parsing %q = %v, %q; want %v", oh.Day(0), got, msg, oh[0])
	}
}

func TestDefaultOfficeHours(t *testing.T) {
	oh := maillon.DefaultOfficeHours()
	want := []maillon.TimeRange{{hm(9, 0), hm(12, 30)}, {hm(13, 30), hm(17, 30)}}
	for d := range 5 {
		if !reflect.DeepEqual(oh[d], want) {
			t.Errorf("day %d = %v, want %v", d, oh[d], want)
		}
	}
	if len(oh[5]) != 0 || len(oh[6]) != 0 {
		t.Errorf("weekend = %v, %v; want closed", oh[5], oh[6])
	}
	// Ensure each call returns its own slices: editing one structure's
	// hours must not change another's.
	oh[0][0].Start = 0
	if maillon.DefaultOfficeHours()[0][0].Start != hm(9, 0) {
		t.Error("DefaultOfficeHours shares its slices between calls")
	}
}

func TestOfficeHoursEncodeDecodeRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		oh   maillon.OfficeHours
		want string
	}{
		{"default hours", maillon.DefaultOfficeHours(), "09:00-12:30,13:30-17:30;09:00-12:30,13:30-17:30;09:00-12:30,13:30-17:30;09:00-12:30,13:30-17:30;09:00-12:30,13:30-17:30;;"},
		{"always closed", maillon.OfficeHours{}, ";;;;;;"},
		{"evenings and weekend", maillon.OfficeHours{5: {{hm(10, 0), hm(13, 0)}}, 6: {{hm(18, 0), hm(24, 0)}}}, ";;;;;10:00-13:00;18:00-24:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc := tt.oh.Encode()
			if enc != tt.want {
				t.Fatalf("Encode() = %q, want %q", enc, tt.want)
			}
			dec, err := maillon.DecodeOfficeHours(enc)
			if err != nil {
				t.Fatalf("DecodeOfficeHours(%q) = %v", enc, err)
			}
			for d := range 7 {
				if len(dec[d]) != len(tt.oh[d]) || (len(dec[d]) > 0 && !reflect.DeepEqual(dec[d], tt.oh[d])) {
					t.Errorf("day %d decoded as %v, want %v", d, dec[d], tt.oh[d])
				}
			}
		})
	}
}

func TestDecodeOfficeHours(t *testing.T) {
	t.Run("empty string is always closed", func(t *testing.T) {
		oh, err := maillon.DecodeOfficeHours("")
		if err != nil || !oh.IsEmpty() {
			t.Fatalf("DecodeOfficeHours(\"\") = %v, %v; want empty hours", oh, err)
		}
	})
	for _, tt := range []struct{ name, s string }{
		{"six days", ";;;;;"},
		{"eight days", ";;;;;;;"},
		{"bad range", "09:00-08:00;;;;;;"},
		{"garbage", "lundi;;;;;;"},
	} {
		t.Run(tt.name+" is an error", func(t *testing.T) {
			if _, err := maillon.DecodeOfficeHours(tt.s); err == nil {
				t.Fatalf("DecodeOfficeHours(%q) = nil error", tt.s)
			}
		})
	}
}

func TestOfficeHoursIsEmpty(t *testing.T) {
	if !(maillon.OfficeHours{}).IsEmpty() {
		t.Error("zero OfficeHours is not empty")
	}
	if maillon.DefaultOfficeHours().IsEmpty() {
		t.Error("default OfficeHours is empty")
	}
	if (maillon.OfficeHours{6: {{0, 60}}}).IsEmpty() {
		t.Error("hours on Sunday only are reported empty")
	}
}

func paris(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, maillon.Paris)
}

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func TestOutsideOfficeHours(t *testing.T) {
	weekdays := &maillon.Structure{OfficeHours: maillon.DefaultOfficeHours(), Holidays: maillon.HolidaysMetropole}
	var allDay maillon.OfficeHours
	for d := range 7 {
		allDay[d] = []maillon.TimeRange{{0, hm(24, 0)}}
	}
	always := &maillon.Structure{OfficeHours: allDay, Holidays: maillon.HolidaysMetropole}
	alwaysAlsace := &maillon.Structure{OfficeHours: allDay, Holidays: maillon.HolidaysAlsaceMoselle}
	closed := &maillon.Structure{Holidays: maillon.HolidaysMetropole}

	tests := []struct {
		name string
		s    *maillon.Structure
		at   time.Time
		want bool
	}{
		{"Tuesday 10:00 in Paris is inside", weekdays, paris(2026, 3, 10, 10, 0), false},
		{"Tuesday at opening time is inside", weekdays, paris(2026, 3, 10, 9, 0), false},
		{"Tuesday one minute before opening is outside", weekdays, paris(2026, 3, 10, 8, 59), true},
		{"Tuesday lunch break is outside", weekdays, paris(2026, 3, 10, 13, 0), true},
		{"Tuesday at closing time is outside", weekdays, paris(2026, 3, 10, 17, 30), true},
		{"Tuesday 19:30 is outside", weekdays, paris(2026, 3, 10, 19, 30), true},
		{"Saturday 10:00 is outside", weekdays, paris(2026, 3, 14, 10, 0), true},
		{"Sunday 10:00 is outside", weekdays, paris(2026, 3, 15, 10, 0), true},
		{"Easter Monday 2026 is outside", weekdays, paris(2026, 4, 6, 10, 0), true},
		{"Ascension 2026 is outside", weekdays, paris(2026, 5, 14, 10, 0), true},
		{"Whit Monday 2026 is outside", weekdays, paris(2026, 5, 25, 10, 0), true},
		{"14 July 2026 is outside", weekdays, paris(2026, 7, 14, 10, 0), true},
		{"Christmas 2026 is outside", weekdays, paris(2026, 12, 25, 10, 0), true},
		{"the day after Easter Monday is inside", weekdays, paris(2026, 4, 7, 10, 0), false},
		{"structure without hours is always outside", closed, paris(2026, 3, 10, 10, 0), true},
		// Times stored in UTC must be read in Paris time.
		{"winter: 08:30 UTC is 09:30 in Paris, inside", weekdays, utc(2026, 3, 24, 8, 30), false},
		{"winter: 16:00 UTC is 17:00 in Paris, inside", weekdays, utc(2026, 3, 24, 16, 0), false},
		{"winter: 16:45 UTC is 17:45 in Paris, outside", weekdays, utc(2026, 3, 24, 16, 45), true},
		{"summer: 07:30 UTC is 09:30 in Paris, inside", weekdays, utc(2026, 3, 31, 7, 30), false},
		{"summer: 06:30 UTC is 08:30 in Paris, outside", weekdays, utc(2026, 3, 31, 6, 30), true},
		{"summer: 16:00 UTC is 18:00 in Paris, outside", weekdays, utc(2026, 3, 31, 16, 0), true},
		{"last summer Friday: 15:15 UTC is 17:15 in Paris, inside", weekdays, utc(2026, 10, 23, 15, 15), false},
		{"first winter Monday: 16:15 UTC is 17:15 in Paris, inside", weekdays, utc(2026, 10, 26, 16, 15), false},
		{"13 July 22:30 UTC is already 14 July in Paris", always, utc(2026, 7, 13, 22, 30), true},
		{"14 July 22:30 UTC is already 15 July in Paris", always, utc(2026, 7, 14, 22, 30), false},
		{"31 December 23:30 UTC is New Year's Day in Paris", always, utc(2026, 12, 31, 23, 30), true},
		{"26 December is worked in metropole", always, paris(2026, 12, 26, 10, 0), false},
		{"26 December is a holiday in Alsace-Moselle", alwaysAlsace, paris(2026, 12, 26, 10, 0), true},
		{"Good Friday is a holiday in Alsace-Moselle", alwaysAlsace, paris(2026, 4, 3, 10, 0), true},
		{"a time zone other than UTC is converted too", weekdays, time.Date(2026, 3, 10, 4, 0, 0, 0, time.FixedZone("UTC-5", -5*3600)), false},
	}
	// The holiday cases of "always" are only meaningful if an ordinary
	// night is inside its hours.
	if always.OutsideOfficeHours(utc(2026, 7, 15, 22, 30)) {
		t.Fatal("a structure open all day is outside its hours on an ordinary night")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.OutsideOfficeHours(tt.at); got != tt.want {
				t.Fatalf("OutsideOfficeHours(%s) = %v, want %v", tt.at.Format(time.RFC3339), got, tt.want)
			}
		})
	}
}
