package web

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-ical"
)

// TestICalLineRules: lines are folded at 75 octets without cutting a
// UTF-8 sequence, and TEXT values are escaped so that a real parser gives
// the original text back.
func TestICalLineRules(t *testing.T) {
	for _, text := range []string{
		"court",
		strings.Repeat("é", 100),
		strings.Repeat("a", 73) + "€" + strings.Repeat("b", 200),
		"Virgule, point-virgule; barre \\ et\nretour à la ligne\r\nfin",
		strings.Repeat("😀", 40),
	} {
		var w icalWriter
		w.line("BEGIN", "VCALENDAR")
		w.line("VERSION", "2.0")
		w.line("PRODID", "-//Test//FR")
		w.line("BEGIN", "VEVENT")
		w.line("UID", "x@test")
		w.line("DTSTAMP", "20260310T093000Z")
		w.line("SUMMARY", icalText(text))
		w.line("END", "VEVENT")
		w.line("END", "VCALENDAR")
		out := w.b.String()
		for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
			if len(l) > 75 || !utf8.ValidString(l) {
				t.Errorf("line of %d octets (valid UTF-8: %v): %q", len(l), utf8.ValidString(l), l)
			}
		}
		cal, err := ical.NewDecoder(strings.NewReader(out)).Decode()
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		got, err := cal.Events()[0].Props.Text(ical.PropSummary)
		want := strings.ReplaceAll(text, "\r\n", "\n")
		if err != nil || got != want {
			t.Errorf("round trip of %q gave %q (%v)", want, got, err)
		}
	}
}
