package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// conflictInput is a valid conflict between an identified person and a
// described neighbour, neither of whom has agreed to take part yet.
func conflictInput(pid maillon.PersonID) maillon.MediationInput {
	return maillon.MediationInput{Kind: maillon.MediationConflit, Topic: "voisinage", Subject: "Bruit le soir entre voisins",
		Origin: "bailleur", Parties: []maillon.PartyInput{
			{Kind: maillon.PartyPerson, PersonID: pid},
			{Kind: maillon.PartyDescribed, Label: "Voisin du 3e"},
		}}
}

func mustMediation(t *testing.T, db *storetest.DB, actor maillon.Actor, in maillon.MediationInput) *maillon.Mediation {
	t.Helper()
	m, err := db.CreateMediation(ctx, actor, in)
	if err != nil {
		t.Fatalf("CreateMediation(%+v): %v", in, err)
	}
	return m
}

func mustReadMediation(t *testing.T, db *storetest.DB, actor maillon.Actor, id maillon.MediationID) *maillon.Mediation {
	t.Helper()
	m, err := db.FindMediationByID(ctx, actor, id)
	if err != nil {
		t.Fatalf("FindMediationByID(%d): %v", id, err)
	}
	return m
}

// wantField checks that err is ErrInvalid with a message on field that
// contains part.
func wantField(t *testing.T, what string, err error, field, part string) {
	t.Helper()
	f := maillon.FieldsOf(err)
	if !errors.Is(err, maillon.ErrInvalid) || !strings.Contains(f[field], part) {
		t.Errorf("%s: %v (fields %v), want ErrInvalid on %s containing %q", what, err, f, field, part)
	}
}

func TestMediationLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		med := storetest.Actor(st.Mediator)
		admin := storetest.Actor(st.Admin)
		awa := mustCreatePerson(t, db, med, newPerson("Awa", "Diallo"))

		// Bad input: a conflict with one party, an unknown kind of party,
		// a person without a dossier consent.
		in := conflictInput(awa.ID)
		in.Parties = in.Parties[:1]
		_, err := db.CreateMediation(ctx, med, in)
		wantField(t, "conflict with one party", err, "party2_kind", "deux parties")
		noFile := mustCreatePerson(t, db, med, newPerson("Paul", "Retrait"))
		f := mustFile(t, db, med, noFile.ID)
		if err := db.WithdrawConsent(ctx, med, f.Consents[0].ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateMediation(ctx, med, conflictInput(noFile.ID))
		wantField(t, "person without dossier consent", err, "party1_person_id", "sans identité")
		in = conflictInput(awa.ID)
		in.Parties[1].Label = ""
		_, err = db.CreateMediation(ctx, med, in)
		wantField(t, "described party without words", err, "party2_label", "voisin du 3e")

		m := mustMediation(t, db, med, conflictInput(awa.ID))
		if m.Status != maillon.MediationOuverte || len(m.Parties) != 2 || m.Parties[0].Label != "Awa Diallo" || m.PartyCount != 2 {
			t.Fatalf("created: %+v", m)
		}

		// The identified party is named from the file, not a copy.
		upd := personInput(awa)
		upd.LastName = "Diallo-Sow"
		if err := db.UpdatePerson(ctx, med, awa.ID, upd); err != nil {
			t.Fatal(err)
		}
		if got := mustReadMediation(t, db, med, m.ID); got.Parties[0].Label != "Awa Diallo-Sow" {
			t.Errorf("party name after a correction of the file: %q", got.Parties[0].Label)
		}

		// "En cours" needs both consents.
		err = db.SetMediationStatus(ctx, med, m.ID, maillon.MediationStatusInput{Status: maillon.MediationEnCours})
		wantField(t, "start without consents", err, "status", "accord")
		err = db.SetMediationStatus(ctx, med, m.ID, maillon.MediationStatusInput{Status: maillon.MediationSuspendue})
		wantField(t, "suspend before starting", err, "status", "pas commencé")
		for _, p := range m.Parties {
			if err := db.SetPartyConsent(ctx, med, m.ID, p.ID, maillon.PartyConsentInput{Method: "oral"}); err != nil {
				t.Fatal(err)
			}
		}
		for _, st := range []string{maillon.MediationEnCours, maillon.MediationSuspendue, maillon.MediationEnCours} {
			if err := db.SetMediationStatus(ctx, med, m.ID, maillon.MediationStatusInput{Status: st}); err != nil {
				t.Fatalf("to %s: %v", st, err)
			}
		}
		err = db.SetMediationStatus(ctx, med, m.ID, maillon.MediationStatusInput{Status: maillon.MediationOuverte})
		wantField(t, "back to ouverte", err, "status", "ouverte")

		// A step is an intervention of the structure.
		iv := mustIntervention(t, db, med, intervention(med, "2026-03-09", "10:00", "personne", awa.ID))
		err = db.AddMediationStep(ctx, med, m.ID, maillon.StepInput{Kind: "entretien", InterventionID: iv.ID})
		wantField(t, "interview without party", err, "party_id", "partie")
		if err := db.AddMediationStep(ctx, med, m.ID, maillon.StepInput{Kind: "entretien", InterventionID: iv.ID,
			PartyID: m.Parties[0].ID, Note: "Premier entretien"}); err != nil {
			t.Fatal(err)
		}
		err = db.AddMediationStep(ctx, med, m.ID, maillon.StepInput{Kind: "navette", InterventionID: 987654})
		wantField(t, "unknown intervention", err, "intervention_id", "intervention")

		// Closing needs an outcome, and an agreement its commitments.
		err = db.SetMediationStatus(ctx, med, m.ID, maillon.MediationStatusInput{Status: maillon.MediationCloturee})
		wantField(t, "close without outcome", err, "outcome", "issue")
		err = db.SetMediationStatus(ctx, med, m.ID, maillon.MediationStatusInput{Status: maillon.MediationCloturee, Outcome: "accord"})
		wantField(t, "agreement without commitments", err, "outcome", "engagements")
		for i, p := range m.Parties {
			text := []string{"Baisser la musique après 22 h", "Prévenir avant une fête"}[i]
			if err := db.AddCommitment(ctx, med, m.ID, maillon.CommitmentInput{PartyID: p.ID, Text: text}); err != nil {
				t.Fatal(err)
			}
		}
		today, _ := maillon.ParseDay("", db.Clock.Now())
		followUp := today.AddDate(0, 1, 0).Format("2006-01-02")
		err = db.SetMediationStatus(ctx, med, m.ID, maillon.MediationStatusInput{Status: maillon.MediationCloturee,
			Outcome: "accord", FollowUpOn: today.Format("2006-01-02")})
		wantField(t, "follow-up today", err, "follow_up_on", "après aujourd'hui")
		if err := db.SetMediationStatus(ctx, med, m.ID, maillon.MediationStatusInput{Status: maillon.MediationCloturee,
			Outcome: "accord", FollowUpOn: followUp}); err != nil {
			t.Fatal(err)
		}
		err = db.SetMediationStatus(ctx, med, m.ID, maillon.MediationStatusInput{Status: maillon.MediationEnCours})
		wantField(t, "reopen", err, "status", "clôturée")
		err = db.AddCommitment(ctx, med, m.ID, maillon.CommitmentInput{PartyID: m.Parties[0].ID, Text: "Trop tard"})
		wantErrKind(t, "commitment after closing", err, maillon.ErrInvalid)

		got := mustReadMediation(t, db, med, m.ID)
		if got.Outcome != "accord" || !got.Closed() || len(got.Steps) != 1 || len(got.Commitments) != 2 ||
			got.Steps[0].At.IsZero() || maillon.InParis(got.FollowUpOn).Format("2006-01-02") != followUp || len(got.History) < 5 {
			t.Errorf("closed case: %+v", got)
		}

		// The follow-up is the mediator's, until it is recorded.
		db.Clock.Advance(40 * 24 * time.Hour)
		fus, err := db.FindFollowUps(ctx, med, maillon.FollowUpFilter{MediatorID: med.UserID})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, fu := range fus {
			found = found || (fu.MediationID == m.ID && fu.URL() == "/mediations/"+itoa(int(m.ID)))
		}
		if !found {
			t.Errorf("follow-ups %+v lack the mediation's", fus)
		}
		counts, err := db.CountFollowUps(ctx, med, med.UserID, maillon.InParis(db.Clock.Now()))
		if err != nil || counts.Overdue != 1 {
			t.Errorf("CountFollowUps = %+v, %v; want 1 overdue", counts, err)
		}
		err = db.SetMediationFollowUp(ctx, med, m.ID, "n'importe")
		wantField(t, "unknown follow-up result", err, "result", "accord")
		if err := db.SetMediationFollowUp(ctx, med, m.ID, "tenu"); err != nil {
			t.Fatal(err)
		}
		if counts, _ := db.CountFollowUps(ctx, med, med.UserID, maillon.InParis(db.Clock.Now())); counts.Overdue != 0 {
			t.Errorf("follow-up recorded but still counted: %+v", counts)
		}

		// The person's timeline shows the case, without the other party.
		file := mustFile(t, db, med, awa.ID)
		var entry *maillon.TimelineEntry
		for i := range file.Timeline {
			if file.Timeline[i].Kind == "mediation" {
				entry = &file.Timeline[i]
			}
		}
		if entry == nil || !strings.Contains(entry.Title, "Voisinage") || strings.Contains(entry.Title+entry.Detail, "3e") {
			t.Errorf("timeline entry = %+v", entry)
		}

		// Every read and change is audited; the agreement's print too.
		if _, err := db.FindMediationAgreement(ctx, med, m.ID); err != nil {
			t.Fatal(err)
		}
		entries, _, err := db.FindAuditEntries(ctx, admin, maillon.AuditFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[maillon.AuditAction]int{}
		for _, e := range entries {
			if e.RecordType == "mediation" && e.RecordID == int64(m.ID) {
				seen[e.Action]++
			}
		}
		for _, a := range []maillon.AuditAction{maillon.AuditMediationCreate, maillon.AuditMediationRead, maillon.AuditMediationPrint,
			maillon.AuditMediationStatus, maillon.AuditMediationConsent, maillon.AuditMediationStep, maillon.AuditMediationCommitment,
			maillon.AuditMediationFollowUp} {
			if seen[a] == 0 {
				t.Errorf("no audit entry %s for the case (%v)", a, seen)
			}
		}
	})
}

func TestMediationRelaisAndInstitution(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		med := storetest.Actor(st.Mediator)

		// Outside mediation: the case is counted, closed as a relais.
		in := maillon.MediationInput{Kind: maillon.MediationConflit, Topic: "famille", Subject: "Dispute violente",
			Origin: "habitant", ScopeIssues: []string{"violence"}}
		_, err := db.CreateMediation(ctx, med, in)
		wantField(t, "relais without target", err, "relay_target", "relais")
		in.RelayTarget, in.RelayReason = "police", "Coups entendus par les voisins"
		m := mustMediation(t, db, med, in)
		if m.Status != maillon.MediationCloturee || m.Outcome != maillon.OutcomeRelais || m.ClosedAt.IsZero() {
			t.Errorf("relayed case: %+v", m)
		}
		list, total, err := db.FindMediations(ctx, med, maillon.MediationFilter{Status: maillon.MediationCloturee})
		if err != nil || total != 1 || list[0].Outcome != maillon.OutcomeRelais {
			t.Errorf("relayed cases listed: %d %v", total, err)
		}

		// Person ↔ institution: the institution and the person are needed;
		// the institution takes part without a consent.
		inst := maillon.MediationInput{Kind: maillon.MediationInstitution, Topic: "caf_indu", Subject: "Indu de 1 200 €",
			Origin: "auto_saisine", Parties: []maillon.PartyInput{{Kind: maillon.PartyDescribed, Label: "Madame L."}}}
		_, err = db.CreateMediation(ctx, med, inst)
		wantField(t, "institutional without institution", err, "party2_kind", "institution")
		inst.Topic = "voisinage"
		_, err = db.CreateMediation(ctx, med, inst)
		wantField(t, "topic of the other kind", err, "topic", "domaine")
		inst.Topic = "caf_indu"
		inst.Parties = append(inst.Parties, maillon.PartyInput{Kind: maillon.PartyInstitution, Label: "CAF du Rhône", Consent: true})
		m = mustMediation(t, db, med, inst)
		err = db.SetMediationStatus(ctx, med, m.ID, maillon.MediationStatusInput{Status: maillon.MediationEnCours})
		wantField(t, "start without the person's consent", err, "status", "personne")
		if err := db.SetPartyConsent(ctx, med, m.ID, m.Parties[0].ID, maillon.PartyConsentInput{Method: "ecrit"}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetMediationStatus(ctx, med, m.ID, maillon.MediationStatusInput{Status: maillon.MediationEnCours}); err != nil {
			t.Fatal(err)
		}
		// A withdrawal takes effect at once: the case stops.
		if err := db.SetPartyConsent(ctx, med, m.ID, m.Parties[0].ID, maillon.PartyConsentInput{Withdraw: true}); err != nil {
			t.Fatal(err)
		}
		if got := mustReadMediation(t, db, med, m.ID); got.Status != maillon.MediationSuspendue || got.Parties[0].Consenting() {
			t.Errorf("after withdrawal: %s %+v", got.Status, got.Parties[0])
		}
		err = db.SetPartyConsent(ctx, med, m.ID, m.Parties[1].ID, maillon.PartyConsentInput{Withdraw: true})
		wantErrKind(t, "institution consent", err, maillon.ErrInvalid)
		// Closing as a relais needs its target.
		err = db.SetMediationStatus(ctx, med, m.ID, maillon.MediationStatusInput{Status: maillon.MediationCloturee, Outcome: "relais"})
		wantField(t, "close relais without target", err, "relay_target", "relais")
		if err := db.SetMediationStatus(ctx, med, m.ID, maillon.MediationStatusInput{Status: maillon.MediationCloturee,
			Outcome: "relais", RelayTarget: "travailleur_social", RelayReason: "Dette trop lourde"}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestMediationAccess(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		admin := storetest.Actor(st.Admin)
		nord, err := db.CreateTeam(ctx, admin, maillon.TeamInput{Name: "Nord"})
		if err != nil {
			t.Fatal(err)
		}
		sud, err := db.CreateTeam(ctx, admin, maillon.TeamInput{Name: "Sud"})
		if err != nil {
			t.Fatal(err)
		}
		inTeam := func(role maillon.Role, team maillon.TeamID) maillon.Actor {
			u := storetest.MustCreateUser(t, db, st.ID, role)
			if err := db.UpdateUser(ctx, admin, u.ID, maillon.UserUpdate{TeamID: &team}); err != nil {
				t.Fatal(err)
			}
			a := storetest.Actor(u)
			a.TeamID = team
			return a
		}
		author, mate, stranger := inTeam(maillon.RoleMediateur, nord.ID), inTeam(maillon.RoleMediateur, nord.ID), inTeam(maillon.RoleMediateur, sud.ID)
		coord := storetest.Actor(st.Coordinator)
		p := mustCreatePerson(t, db, author, newPerson("Lina", "Voisine"))
		m := mustMediation(t, db, author, conflictInput(p.ID))
		if m.TeamID != nord.ID {
			t.Errorf("team = %d, want the author's %d", m.TeamID, nord.ID)
		}
		// The coordination chooses the team.
		in := conflictInput(p.ID)
		in.TeamID = sud.ID
		in.Kind, in.Topic = maillon.MediationConflit, "scolaire"
		ms := mustMediation(t, db, coord, in)
		if ms.TeamID != sud.ID {
			t.Errorf("coordinator's team choice: %d", ms.TeamID)
		}

		for _, c := range []struct {
			name  string
			actor maillon.Actor
			see   bool
			total int
		}{
			{"author", author, true, 1}, {"team mate", mate, true, 1}, {"other team", stranger, false, 1},
			{"coordinator", coord, true, 2}, {"admin", admin, true, 2},
			{"other structure", storetest.Actor(other.Admin), false, 0},
		} {
			_, err := db.FindMediationByID(ctx, c.actor, m.ID)
			if c.see != (err == nil) || (!c.see && !errors.Is(err, maillon.ErrNotFound)) {
				t.Errorf("%s reads the case: %v", c.name, err)
			}
			err = db.AddCommitment(ctx, c.actor, m.ID, maillon.CommitmentInput{PartyID: m.Parties[0].ID, Text: "x"})
			if !c.see && !errors.Is(err, maillon.ErrNotFound) {
				t.Errorf("%s changes the case: %v", c.name, err)
			}
			_, total, err := db.FindMediations(ctx, c.actor, maillon.MediationFilter{})
			if err != nil || total != c.total {
				t.Errorf("%s lists %d cases (%v), want %d", c.name, total, err, c.total)
			}
		}

		// The person's timeline names the cases the reader may open.
		for _, c := range []struct {
			name string
			a    maillon.Actor
			want bool
		}{{"author", author, true}, {"the other case's team", stranger, true}, {"coordinator", coord, true},
			{"mediator without team", storetest.Actor(storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur)), false}} {
			has := false
			for _, e := range mustFile(t, db, c.a, p.ID).Timeline {
				has = has || e.Kind == "mediation"
			}
			if has != c.want {
				t.Errorf("%s's view of the timeline shows a mediation: %v", c.name, has)
			}
		}

		// Filters.
		for _, c := range []struct {
			f    maillon.MediationFilter
			want int
		}{
			{maillon.MediationFilter{Kind: maillon.MediationConflit}, 2},
			{maillon.MediationFilter{Kind: maillon.MediationInstitution}, 0},
			{maillon.MediationFilter{Status: maillon.MediationOuverte}, 2},
			{maillon.MediationFilter{Status: maillon.MediationEnCours}, 0},
			{maillon.MediationFilter{TeamID: sud.ID}, 1},
			{maillon.MediationFilter{Age: "moins_1m"}, 2},
			{maillon.MediationFilter{Age: "plus_12m"}, 0},
			{maillon.MediationFilter{PersonID: p.ID}, 2},
		} {
			if _, total, err := db.FindMediations(ctx, admin, c.f); err != nil || total != c.want {
				t.Errorf("filter %+v: %d (%v), want %d", c.f, total, err, c.want)
			}
		}

		// Merging people keeps the party's identity.
		dup := mustCreatePerson(t, db, author, newPerson("Lina", "Doublon"))
		md := mustMediation(t, db, author, conflictInput(dup.ID))
		if err := db.MergePersons(ctx, admin, p.ID, dup.ID); err != nil {
			t.Fatal(err)
		}
		if got := mustReadMediation(t, db, admin, md.ID); got.Parties[0].PersonID != p.ID {
			t.Errorf("after merge the party names %d, want %d", got.Parties[0].PersonID, p.ID)
		}
	})
}

func TestImportMediations(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		people, ivs := importFixture(t, db, st, 2)
		day := time.Date(2026, 1, 12, 0, 0, 0, 0, maillon.Paris)
		m := maillon.Mediation{StructureID: st.ID, Kind: maillon.MediationConflit, Topic: "voisinage", Subject: "Bruit",
			Origin: "bailleur", OriginOn: day, MediatorID: st.Mediator.ID, CreatedBy: st.Mediator.ID,
			Status: maillon.MediationCloturee, Outcome: "accord", ClosedAt: day.AddDate(0, 1, 0),
			Parties: []maillon.MediationParty{
				{Kind: maillon.PartyPerson, PersonID: people[0].Person.ID, Label: "Éloïse", ConsentOn: day, Method: "oral"},
				{Kind: maillon.PartyDescribed, Label: "Voisin du 2e", ConsentOn: day, Method: "oral"},
			},
			Steps:       []maillon.MediationStep{{Kind: "entretien", InterventionID: ivs[0].ID, PartyID: 1}},
			Commitments: []maillon.Commitment{{PartyID: 2, Text: "Moins de bruit", AgreedOn: day.AddDate(0, 0, 20)}},
		}
		bad := m
		bad.Topic = "caf_indu"
		if err := db.ImportMediations(ctx, maillon.OperatorActor(), []maillon.Mediation{bad}); !errors.Is(err, maillon.ErrInvalid) {
			t.Errorf("unknown topic imported: %v", err)
		}
		if err := db.ImportMediations(ctx, storetest.Actor(st.Admin), []maillon.Mediation{m}); !errors.Is(err, maillon.ErrForbidden) {
			t.Errorf("import by an admin: %v", err)
		}
		list := []maillon.Mediation{m}
		if err := db.ImportMediations(ctx, maillon.OperatorActor(), list); err != nil {
			t.Fatal(err)
		}
		got := mustReadMediation(t, db, storetest.Actor(st.Admin), list[0].ID)
		if len(got.Parties) != 2 || len(got.Steps) != 1 || got.Steps[0].PartyID != got.Parties[0].ID ||
			len(got.Commitments) != 1 || got.Commitments[0].PartyID != got.Parties[1].ID || got.PartyCount != 2 {
			t.Errorf("imported case: %+v", got)
		}
		// The services go on with the next IDs.
		n := mustMediation(t, db, storetest.Actor(st.Mediator), conflictInput(people[1].Person.ID))
		if n.ID <= got.ID {
			t.Errorf("new ID %d after imported %d", n.ID, got.ID)
		}
	})
}
