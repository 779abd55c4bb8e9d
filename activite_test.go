package maillon

import (
	"strings"
	"testing"
	"time"
)

func TestActiviteTransitions(t *testing.T) {
	med := Actor{UserID: 1, StructureID: 1, Role: RoleMediateur, Channel: ChannelWeb}
	coord := Actor{UserID: 2, StructureID: 1, Role: RoleCoordinateur, Channel: ChannelWeb}
	withObj := []ActiviteObjective{{ID: 1, Indicator: IndicatorPresences, Target: 10}}
	for _, c := range []struct {
		from, to string
		actor    Actor
		objs     []ActiviteObjective
		decision string
		reason   string
		want     string // part of the message; "" when allowed
	}{
		{ActiviteIdee, ActivitePreparation, med, nil, "", "", ""},
		{ActiviteIdee, ActiviteEnCours, med, nil, "", "", "Passage impossible"},
		{ActivitePreparation, ActiviteValidee, med, withObj, "", "", "coordination"},
		{ActivitePreparation, ActiviteValidee, coord, nil, "", "", "objectif"},
		{ActivitePreparation, ActiviteValidee, coord, withObj, "", "", ""},
		{ActiviteValidee, ActiviteEnCours, med, withObj, "", "", ""},
		{ActiviteEnCours, ActiviteTerminee, med, withObj, "", "", ""},
		{ActiviteTerminee, ActiviteEvaluee, med, withObj, "", "", "décision"},
		{ActiviteTerminee, ActiviteEvaluee, med, withObj, "poursuivre", "", ""},
		{ActiviteEnCours, ActiviteIdee, med, withObj, "", "", "Passage impossible"},
		{ActiviteEnCours, ActiviteAnnulee, med, withObj, "", "", "pourquoi"},
		{ActiviteEnCours, ActiviteAnnulee, med, withObj, "", "Pluie", ""},
		{ActiviteEvaluee, ActiviteAnnulee, med, withObj, "", "Pluie", "ne change plus"},
		{ActiviteAnnulee, ActiviteIdee, med, withObj, "", "", "ne change plus"},
		{ActiviteIdee, "inconnu", med, nil, "", "", "Choisissez"},
		{ActiviteIdee, ActiviteIdee, med, nil, "", "", "déjà"},
	} {
		a := &Activite{StructureID: 1, Status: c.from, Objectives: c.objs, Decision: c.decision}
		in := ActiviteStatusInput{Status: c.to, Reason: c.reason}
		err := CheckActiviteTransition(a, &in, c.actor)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s → %s: %v", c.from, c.to, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s → %s: %v, want a message with %q", c.from, c.to, err, c.want)
		}
	}
}

func TestActiviteInputs(t *testing.T) {
	o := ObjectiveInput{Label: "Réunir", Indicator: IndicatorPresences}
	if _, err := o.Validate(); !strings.Contains(FieldsOf(err)["target"], "sans cible") {
		t.Errorf("objective without target: %v", err)
	}
	o = ObjectiveInput{Label: "Orienter", Indicator: IndicatorSaisi, Target: "5"}
	if _, err := o.Validate(); FieldsOf(err)["unit"] == "" {
		t.Errorf("an entered indicator needs its unit: %v", err)
	}
	start := time.Date(2026, 3, 16, 0, 0, 0, 0, Paris)
	s := SeanceInput{Date: "2026-03-15", Start: "14:00", End: "13:00", Place: "Salle", Capacity: "0"}
	_, err := s.Validate(start, true)
	f := FieldsOf(err)
	if !strings.Contains(f["date"], "avant le début du projet") || f["end"] == "" || f["capacity"] == "" {
		t.Errorf("session errors: %v", f)
	}
	s = SeanceInput{Date: "2026-03-17", Start: "14h", End: "16:30", Place: "Salle", Capacity: "12", Recurrence: "hebdo", Count: "53"}
	if _, err := s.Validate(start, true); FieldsOf(err)["count"] == "" {
		t.Errorf("a series of 53: %v", err)
	}
	s.Count = "4"
	slot, err := s.Validate(start, true)
	if err != nil || slot.Count != 4 || InParis(slot.StartsAt).Hour() != 14 || InParis(slot.EndsAt).Minute() != 30 {
		t.Errorf("series: %+v %v", slot, err)
	}
	r := RegistrationInput{}
	if _, err := r.Validate(); FieldsOf(err)["person_id"] == "" {
		t.Errorf("empty registration: %v", err)
	}
	r = RegistrationInput{PersonID: 3, Count: "2"}
	if _, err := r.Validate(); FieldsOf(err)["reg_count"] == "" {
		t.Errorf("a named registration of two: %v", err)
	}
	att := AttendanceInput{Presence: map[int64]string{7: "present", 8: "absent"},
		Tallies: []TallyInput{{Count: "2", AgeBand: "16_25"}, {}, {Count: "x"}}}
	_, err = att.Validate([]Registration{{ID: 7}})
	if f := FieldsOf(err); f["presence"] == "" || f[TallyField(2, "count")] == "" {
		t.Errorf("attendance errors: %v", f)
	}
	sat := SatisfactionInput{Scores: []string{"", "5"}}
	if _, err := sat.Validate(); FieldsOf(err)["q2"] == "" {
		t.Errorf("a score of 5: %v", err)
	}
	ev := EvaluationInput{Decision: "peut-être"}
	if _, err := ev.Validate(nil); FieldsOf(err)["decision"] == "" {
		t.Errorf("unknown decision: %v", err)
	}
}

func TestSatisfactionMean(t *testing.T) {
	if got := (Satisfaction{}).Mean(); got != "–" {
		t.Errorf("no answer: %q", got)
	}
	if got := (Satisfaction{Sum: 25, Scored: 9}).Mean(); got != "2,8" {
		t.Errorf("25/9 = %q", got)
	}
	q := QuestionScore{Counts: [4]int{1, 0, 1, 2}, Total: 4}
	if q.Percent(3) != 50 || q.Percent(1) != 0 || q.Percent(9) != 0 {
		t.Errorf("percents %d %d", q.Percent(3), q.Percent(1))
	}
	o := ActiviteObjective{Target: 10, Achieved: 25, HasAchieved: true}
	if o.Percent() != 250 || o.Bar() != 100 || !o.Reached() {
		t.Errorf("objective %d %d %v", o.Percent(), o.Bar(), o.Reached())
	}
}
