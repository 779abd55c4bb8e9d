package maillon_test

import (
	"strings"
	"testing"
	"time"

	"maillon"
)

func TestCheckMediationTransition(t *testing.T) {
	allowed := map[string][]string{
		maillon.MediationOuverte:   {maillon.MediationEnCours, maillon.MediationCloturee},
		maillon.MediationEnCours:   {maillon.MediationSuspendue, maillon.MediationCloturee},
		maillon.MediationSuspendue: {maillon.MediationEnCours, maillon.MediationCloturee},
		maillon.MediationCloturee:  nil,
	}
	for from, ok := range allowed {
		for _, to := range append(maillon.MediationStatuses, maillon.Choice{Code: "perdue"}) {
			err := maillon.CheckMediationTransition(from, to.Code)
			want := false
			for _, s := range ok {
				want = want || s == to.Code
			}
			if (err == nil) != want {
				t.Errorf("%s → %s: %v, allowed %v", from, to.Code, err, want)
			}
			if err != nil {
				assertCleanMessage(t, "status", maillon.FieldsOf(err)["status"])
			}
		}
	}
}

func TestMediationInputValidate(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	valid := func() maillon.MediationInput {
		return maillon.MediationInput{Kind: maillon.MediationConflit, Topic: "voisinage", Subject: " Bruit ", Origin: "habitant",
			Parties: []maillon.PartyInput{{Kind: maillon.PartyPerson, PersonID: 3, Consent: true, ConsentMethod: "oral"},
				{}, {Kind: maillon.PartyDescribed, Label: "Voisin du 3e"}}}
	}
	in := valid()
	day, days, err := in.Validate(now)
	if err != nil || in.Subject != "Bruit" || len(in.Parties) != 2 || len(days) != 2 || days[0].IsZero() || !days[1].IsZero() ||
		day.Day() != 10 {
		t.Fatalf("valid input: %v %+v %v", err, in, days)
	}
	for _, c := range []struct {
		name  string
		edit  func(*maillon.MediationInput)
		field string
		part  string
	}{
		{"one party", func(in *maillon.MediationInput) { in.Parties = in.Parties[:1] }, "party2_kind", "deux parties"},
		{"topic of the other kind", func(in *maillon.MediationInput) { in.Topic = "caf_indu" }, "topic", "domaine"},
		{"future origin", func(in *maillon.MediationInput) { in.OriginOn = "2026-04-01" }, "origin_on", "futur"},
		{"identified without person", func(in *maillon.MediationInput) { in.Parties[0].PersonID = 0 }, "party1_person_id", "personne"},
		{"consent without method", func(in *maillon.MediationInput) { in.Parties[0].ConsentMethod = "" }, "party1_consent_method", "oral"},
		{"relais without reason", func(in *maillon.MediationInput) {
			in.ScopeIssues, in.RelayTarget = []string{"danger"}, "secours"
		}, "relay_reason", "raison"},
		{"relais without scope issue", func(in *maillon.MediationInput) { in.RelayTarget = "police" }, "scope_issues", "relais"},
		{"institution without institution", func(in *maillon.MediationInput) {
			in.Kind, in.Topic = maillon.MediationInstitution, "caf_indu"
		}, "party2_kind", "institution"},
	} {
		in := valid()
		c.edit(&in)
		_, _, err := in.Validate(now)
		if f := fieldErrors(t, err); !strings.Contains(f[c.field], c.part) {
			t.Errorf("%s: %v, want %s containing %q", c.name, f, c.field, c.part)
		}
	}
	// The kind of a party follows from what was filled in.
	in = valid()
	in.Parties = []maillon.PartyInput{{PersonID: 4}, {Label: "Voisine du 1er"}}
	if _, _, err := in.Validate(now); err != nil || in.Parties[0].Kind != maillon.PartyPerson || in.Parties[1].Kind != maillon.PartyDescribed {
		t.Errorf("parties without kind: %v %+v", err, in.Parties)
	}
	// A case outside mediation may name no party.
	in = maillon.MediationInput{Kind: maillon.MediationConflit, Topic: "famille", Subject: "Violences", Origin: "habitant",
		ScopeIssues: []string{"violence"}, RelayTarget: "police", RelayReason: "Coups"}
	if _, _, err := in.Validate(now); err != nil {
		t.Errorf("relais without parties: %v", err)
	}
}

func TestMediationRules(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	day := now.AddDate(0, 0, -1)
	m := &maillon.Mediation{StructureID: 1, Kind: maillon.MediationConflit, Status: maillon.MediationOuverte, MediatorID: 5, TeamID: 2,
		Parties: []maillon.MediationParty{{ID: 1, Kind: maillon.PartyPerson, ConsentOn: day}, {ID: 2, Kind: maillon.PartyDescribed}}}
	if m.StartProblem() == "" {
		t.Error("a conflict starts with one consent")
	}
	m.Parties[1].ConsentOn = day
	if p := m.StartProblem(); p != "" {
		t.Errorf("two consents: %s", p)
	}
	m.Parties[1].WithdrawnAt = now
	if m.StartProblem() == "" {
		t.Error("a withdrawn consent still counts")
	}
	in := maillon.MediationStatusInput{Status: maillon.MediationCloturee, Outcome: "accord"}
	if _, err := in.Validate(m, now); !strings.Contains(fieldErrors(t, err)["outcome"], "engagements") {
		t.Errorf("agreement without commitments: %v", err)
	}
	in = maillon.MediationStatusInput{Status: maillon.MediationCloturee, Outcome: "echec", FollowUpOn: "2026-04-01"}
	if _, err := in.Validate(m, now); fieldErrors(t, err)["follow_up_on"] == "" {
		t.Errorf("follow-up of a failure: %v", err)
	}
	in = maillon.MediationStatusInput{Status: maillon.MediationCloturee, Outcome: "apaisement", FollowUpOn: "2026-04-01"}
	if fu, err := in.Validate(m, now); err != nil || fu.IsZero() {
		t.Errorf("follow-up of an apaisement: %v %v", fu, err)
	}
	for _, c := range []struct {
		name string
		a    maillon.Actor
		see  bool
	}{
		{"its mediator", maillon.Actor{UserID: 5, StructureID: 1, Role: maillon.RoleMediateur}, true},
		{"a team mate", maillon.Actor{UserID: 6, StructureID: 1, TeamID: 2, Role: maillon.RoleMediateur}, true},
		{"another team", maillon.Actor{UserID: 7, StructureID: 1, TeamID: 3, Role: maillon.RoleMediateur}, false},
		{"no team", maillon.Actor{UserID: 8, StructureID: 1, Role: maillon.RoleMediateur}, false},
		{"the coordination", maillon.Actor{UserID: 9, StructureID: 1, Role: maillon.RoleCoordinateur}, true},
		{"another structure", maillon.Actor{UserID: 10, StructureID: 2, Role: maillon.RoleAdmin}, false},
	} {
		if got := m.VisibleTo(c.a); got != c.see {
			t.Errorf("%s sees the case: %v, want %v", c.name, got, c.see)
		}
	}
}
