package maillon_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"maillon"
)

func TestCheckTransition(t *testing.T) {
	allowed := map[string][]string{
		"proposee":        {"transmise", "prise_en_charge", "refusee", "sans_suite"},
		"transmise":       {"prise_en_charge", "refusee", "sans_suite"},
		"prise_en_charge": nil, "refusee": nil, "sans_suite": nil,
	}
	for from, ok := range allowed {
		for _, to := range append(maillon.OrientationStatuses, maillon.Choice{Code: "perdue"}) {
			err := maillon.CheckTransition(from, to.Code)
			want := false
			for _, o := range ok {
				want = want || o == to.Code
			}
			if (err == nil) != want {
				t.Errorf("%s → %s: %v, want allowed=%v", from, to.Code, err, want)
			}
			if err != nil {
				assertCleanMessage(t, "status", maillon.FieldsOf(err)["status"])
				if !errors.Is(err, maillon.ErrInvalid) {
					t.Errorf("%s → %s: kind %v", from, to.Code, err)
				}
			}
		}
	}
}

func TestOrientationInputValidate(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	valid := maillon.OrientationInput{PersonID: 1, PartnerName: " CAF ", Reason: "Droits", Mode: "personne",
		SharedItems: []string{"documents", "identite", "identite"}, SharedText: "Pièces réunies", ExpectedOn: "2026-03-24"}
	in := valid
	day, err := in.Validate(now)
	if err != nil || in.PartnerName != "CAF" || strings.Join(in.SharedItems, ",") != "identite,documents" ||
		maillon.InParis(day).Format("2006-01-02") != "2026-03-24" {
		t.Fatalf("valid input: %v %+v %v", err, in, day)
	}
	for name, tc := range map[string]struct {
		edit  func(*maillon.OrientationInput)
		field string
	}{
		"no partner":           {func(in *maillon.OrientationInput) { in.PartnerName = " " }, "partner_name"},
		"no reason":            {func(in *maillon.OrientationInput) { in.Reason = "" }, "reason"},
		"unknown mode":         {func(in *maillon.OrientationInput) { in.Mode = "pigeon" }, "mode"},
		"unknown item":         {func(in *maillon.OrientationInput) { in.SharedItems = []string{"sante"} }, "shared_items"},
		"anonymous identity":   {func(in *maillon.OrientationInput) { in.PersonID = 0 }, "shared_items"},
		"text without item":    {func(in *maillon.OrientationInput) { in.SharedItems = []string{"identite"} }, "shared_text"},
		"item without text":    {func(in *maillon.OrientationInput) { in.SharedText = "" }, "shared_text"},
		"text too long":        {func(in *maillon.OrientationInput) { in.SharedText = strings.Repeat("a", 1001) }, "shared_text"},
		"contact on two lines": {func(in *maillon.OrientationInput) { in.PartnerContact = "a\nb" }, "partner_contact"},
		"past feedback date":   {func(in *maillon.OrientationInput) { in.ExpectedOn = "2026-03-09" }, "expected_on"},
		"far feedback date":    {func(in *maillon.OrientationInput) { in.ExpectedOn = "2027-03-11" }, "expected_on"},
		"bad feedback date":    {func(in *maillon.OrientationInput) { in.ExpectedOn = "24/03/2026" }, "expected_on"},
	} {
		in := valid
		in.SharedItems = append([]string(nil), valid.SharedItems...)
		tc.edit(&in)
		_, err := in.Validate(now)
		if f := fieldErrors(t, err); f[tc.field] == "" {
			t.Errorf("%s: errors %v, want one on %s", name, f, tc.field)
		}
	}
}

func TestOrientationStatusInputValidate(t *testing.T) {
	ok := []struct {
		from string
		in   maillon.OrientationStatusInput
	}{
		{"proposee", maillon.OrientationStatusInput{Status: "transmise", Source: "personne", Reason: "complet"}},
		{"transmise", maillon.OrientationStatusInput{Status: "prise_en_charge", Source: "personne"}},
		{"transmise", maillon.OrientationStatusInput{Status: "refusee", Reason: "autre", Text: "Trop loin", Source: "partenaire"}},
		{"proposee", maillon.OrientationStatusInput{Status: "sans_suite", Reason: "non_venue", Source: "mediation"}},
	}
	for _, tc := range ok {
		in := tc.in
		if err := in.Validate(tc.from); err != nil {
			t.Errorf("%+v from %s: %v", tc.in, tc.from, err)
		}
		if in.Status == "transmise" && (in.Source != "" || in.Reason != "") {
			t.Errorf("transmise keeps a source or reason: %+v", in)
		}
	}
	bad := []struct {
		in    maillon.OrientationStatusInput
		field string
	}{
		{maillon.OrientationStatusInput{Status: "refusee", Source: "personne"}, "reason"},
		{maillon.OrientationStatusInput{Status: "refusee", Reason: "non_venue", Source: "personne"}, "reason"},
		{maillon.OrientationStatusInput{Status: "sans_suite", Reason: "autre", Source: "personne"}, "text"},
		{maillon.OrientationStatusInput{Status: "prise_en_charge"}, "source"},
		{maillon.OrientationStatusInput{Status: "prise_en_charge", Source: "partenaire_lien"}, "source"},
	}
	for _, tc := range bad {
		in := tc.in
		if f := fieldErrors(t, in.Validate("transmise")); f[tc.field] == "" {
			t.Errorf("%+v: errors %v, want one on %s", tc.in, f, tc.field)
		}
	}
}

func TestPartnerAnswer(t *testing.T) {
	in := maillon.PartnerAnswerInput{Answer: "non_venue", Reason: "complet"}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	if st := in.Status(); st.Status != "sans_suite" || st.Reason != "non_venue" || st.Source != "partenaire_lien" {
		t.Errorf("no-show answer: %+v", st)
	}
	refused := maillon.PartnerAnswerInput{Answer: "refusee", Reason: "hors_criteres"}
	if err := refused.Validate(); err != nil {
		t.Fatal(err)
	}
	// The answer, turned into a status, passes the status machine's own
	// checks (the link is the one source a person cannot claim).
	st := refused.Status()
	if err := maillon.CheckTransition("transmise", st.Status); err != nil || st.Reason != "hors_criteres" {
		t.Errorf("refusal: %+v, %v", st, err)
	}
	for _, bad := range []maillon.PartnerAnswerInput{{}, {Answer: "peut-etre"}, {Answer: "refusee"}, {Answer: "refusee", Reason: "autre"},
		{Answer: "prise_en_charge", Text: strings.Repeat("é", 251)}} {
		fieldErrors(t, bad.Validate())
	}
}

func TestPartnerLinkState(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	l := maillon.PartnerLink{CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if l.State(now) != maillon.LinkOpen || l.State(now.Add(time.Hour)) != maillon.LinkExpired {
		t.Errorf("open then expired: %s %s", l.State(now), l.State(now.Add(time.Hour)))
	}
	l.RevokedAt = now
	if l.State(now) != maillon.LinkRevoked {
		t.Errorf("revoked: %s", l.State(now))
	}
	l.UsedAt = now
	if l.State(now.Add(2*time.Hour)) != maillon.LinkAnswered {
		t.Errorf("answered: %s", l.State(now))
	}
	s := maillon.PartnerStats{Orientations: 3, Feedback: 2}
	if s.FeedbackRate() != 67 || (maillon.PartnerStats{}).FeedbackRate() != 0 {
		t.Errorf("feedback rate %d", s.FeedbackRate())
	}
}
