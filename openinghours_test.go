package maillon

import (
	"errors"
	"strings"
	"testing"
)

func TestParseOpeningHours(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
	}{
		{"Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off",
			"Du lundi au vendredi : de 9 h à 12 h et de 14 h à 17 h|Samedi : de 9 h à 12 h|Fermé les jours fériés"},
		{"24/7", "Ouvert 24 h sur 24, 7 jours sur 7"},
		{"Mo,We 08:30-12:00; Tu off", "Lundi : de 8 h 30 à 12 h|Mardi : fermé|Mercredi : de 8 h 30 à 12 h"},
		{"Mo-Fr 09:00-17:00; We off", "Lundi et mardi : de 9 h à 17 h|Mercredi : fermé|Jeudi et vendredi : de 9 h à 17 h"},
		{"Sa-Mo 10:00-24:00", "Lundi : de 10 h à 24 h|Samedi et dimanche : de 10 h à 24 h"},
		{"", ""},
	} {
		oh, err := ParseOpeningHours(c.in)
		if err != nil {
			t.Errorf("ParseOpeningHours(%q): %v", c.in, err)
			continue
		}
		if got := strings.Join(oh.French(), "|"); got != c.want {
			t.Errorf("French(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, in := range []string{"Jan-Mar Mo 09:00-12:00", "Mo 9h-12h", "Mo 12:00-09:00", "Mo 09:00-12:00,11:00-13:00",
		"sunrise-sunset", "PH 10:00-12:00", "Mo 09:00-12:00 \"sur rendez-vous\"", "Xx 09:00-10:00", "Mo 24:30-25:00",
		"Mo 00:00-24:01", strings.Repeat("Mo 09:00-10:00;", 40)} {
		_, err := ParseOpeningHours(in)
		if !errors.Is(err, ErrInvalid) || FieldsOf(err)["horaires_accueil"] == "" {
			t.Errorf("ParseOpeningHours(%q) = %v, want a field error", in, err)
		}
	}
}

func FuzzParseOpeningHours(f *testing.F) {
	f.Add("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off")
	f.Add("24/7")
	f.Add("Su-Tu 00:00-24:00")
	f.Fuzz(func(t *testing.T, s string) {
		oh, err := ParseOpeningHours(s)
		if err != nil {
			return
		}
		_ = oh.French()
		for d := range 7 {
			for _, r := range oh.Days[d] {
				if r.Start < 0 || r.End > 24*60 || r.End <= r.Start {
					t.Fatalf("%q: bad range %v", s, r)
				}
			}
		}
	})
}
