package maillon

import (
	"strings"
	"testing"
	"time"
)

func TestPersonalDataHints(t *testing.T) {
	cases := []struct {
		text string
		want string // "" for no hint, else a word of the hint
	}{
		{"Tensions le soir dans le hall, rue Gambetta.", ""},
		{"Rue Gambetta, les lampadaires sont éteints.", ""},
		{"Les jeunes se retrouvent à la Maison France Services le mercredi.", ""},
		{"La CAF ferme son accueil le jeudi ; beaucoup d'habitants désemparés.", ""},
		{"Signalé à Lyon Métropole Habitat et à la Mairie de Vénissieux.", ""},
		{"Appeler le 06 12 34 56 78 pour en savoir plus.", "téléphone"},
		{"Contact : +33 6 12 34 56 78", "téléphone"},
		{"Écrire à jean.dupont@exemple.fr", "e-mail"},
		{"Le fils de Mme Martin ne va plus au collège.", "Mme Martin"},
		{"Hier, Karim Benali a été pris à partie.", "Karim Benali"},
		{"Selon Jean-Pierre Durand, le local est fermé.", "Jean-Pierre Durand"},
		{"Karim Benali est venu. Ensuite rien.", ""}, // a sentence start is not a name
		{"Il a vu Karim, Sofia et les autres.", ""},  // a comma separates the words
		{"Le site de l'ANTS et FranceConnect sont en panne.", ""},
	}
	for _, c := range cases {
		got := strings.Join(PersonalDataHints(c.text), " ; ")
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("PersonalDataHints(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestVeilleObservationConfirm(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	in := VeilleObservationInput{Theme: "logement", Kind: "isolement", Source: "habitant", Reliability: "verifiee",
		Description: "Mme Martin vit seule et ne sort plus."}
	in.Description = "Une voisine signale que Mme Martin vit seule et ne sort plus."
	if _, err := in.Validate("", now); !PersonalDataWarning(err) {
		t.Fatalf("no warning: %v", err)
	}
	in.Confirmed = true
	if _, err := in.Validate("", now); err != nil {
		t.Fatalf("confirmed: %v", err)
	}
	if in.Status != "nouvelle" {
		t.Errorf("status %q", in.Status)
	}
	in.ObservedOn = "2026-03-11"
	if _, err := in.Validate("", now); FieldsOf(err)["observed_on"] == "" {
		t.Errorf("future day accepted: %v", err)
	}
}

func TestCountText(t *testing.T) {
	for n, want := range map[int]string{0: "0", 1: "< 5", 4: "< 5", 5: "5", 12: "12"} {
		if got := CountText(n, true); got != want {
			t.Errorf("CountText(%d, true) = %q, want %q", n, got, want)
		}
	}
	if CountText(3, false) != "3" {
		t.Error("inside the structure, counts are exact")
	}
}
