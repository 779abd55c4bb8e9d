package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// sharingPerson creates a person with the "partage" consent.
func sharingPerson(t *testing.T, db *storetest.DB, actor maillon.Actor, first, last string) *maillon.Person {
	t.Helper()
	in := newPerson(first, last)
	in.Phone, in.Email = "06 12 34 56 78", "personne@exemple.fr"
	p := mustCreatePerson(t, db, actor, in)
	if err := db.AddConsent(ctx, actor, p.ID, maillon.ConsentInput{Scope: "partage", Method: "oral"}); err != nil {
		t.Fatal(err)
	}
	return p
}

func orientationInput(pid maillon.PersonID, partner string, items ...string) maillon.OrientationInput {
	in := maillon.OrientationInput{PersonID: pid, PartnerName: partner, PartnerContact: "accueil@caf.exemple.fr",
		Reason: "Ouverture des droits RSA", Mode: "personne", SharedItems: items, ExpectedOn: "2026-03-24"}
	for _, it := range items {
		if it == "situation" || it == "demarche" || it == "documents" {
			in.SharedText = "Dossier commencé en ligne, pièces d'identité réunies."
		}
	}
	return in
}

func mustOrientation(t *testing.T, db *storetest.DB, actor maillon.Actor, in maillon.OrientationInput) *maillon.Orientation {
	t.Helper()
	o, err := db.CreateOrientation(ctx, actor, in)
	if err != nil {
		t.Fatalf("CreateOrientation(%+v): %v", in, err)
	}
	return o
}

func mustLink(t *testing.T, db *storetest.DB, actor maillon.Actor, id maillon.OrientationID) string {
	t.Helper()
	tok, err := db.CreatePartnerLink(ctx, actor, id, 30)
	if err != nil {
		t.Fatalf("CreatePartnerLink: %v", err)
	}
	return tok
}

func wantErrKind(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s = %v, want %v", what, err, kind)
	}
}

func TestOrientationConsentGate(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		med := storetest.Actor(st.Mediator)
		without := mustCreatePerson(t, db, med, newPerson("Awa", "Sansaccord"))
		with := sharingPerson(t, db, med, "Paul", "Accord")
		theirs := sharingPerson(t, db, storetest.Actor(other.Mediator), "Lina", "Ailleurs")

		_, err := db.CreateOrientation(ctx, med, orientationInput(without.ID, "CAF", "identite"))
		if f := maillon.FieldsOf(err); !errors.Is(err, maillon.ErrInvalid) || !strings.Contains(f["person_id"], "accord") {
			t.Errorf("nominative without consent: %v", err)
		}
		_, err = db.CreateOrientation(ctx, med, orientationInput(theirs.ID, "CAF"))
		if f := maillon.FieldsOf(err); !errors.Is(err, maillon.ErrInvalid) || f["person_id"] == "" {
			t.Errorf("another structure's person: %v", err)
		}
		// Anonymous: allowed, but never with identity or contact details.
		_, err = db.CreateOrientation(ctx, med, orientationInput(0, "CAF", "coordonnees"))
		if f := maillon.FieldsOf(err); f["shared_items"] == "" {
			t.Errorf("anonymous with contact details: %v", err)
		}
		anon := mustOrientation(t, db, med, orientationInput(0, "CAF", "situation"))
		if !anon.Anonymous() || anon.Status != maillon.OrientationProposee || anon.SharedText == "" {
			t.Errorf("anonymous orientation: %+v", anon)
		}
		o := mustOrientation(t, db, med, orientationInput(with.ID, "CAF du Rhône", "identite", "demarche"))
		if o.PersonID != with.ID || o.PersonName != "Paul Accord" || strings.Join(o.SharedItems, ",") != "identite,demarche" {
			t.Errorf("nominative orientation: %+v", o)
		}
		if o.ExpectedOn.IsZero() || maillon.InParis(o.ExpectedOn).Format("2006-01-02") != "2026-03-24" {
			t.Errorf("expected on %v", o.ExpectedOn)
		}
		// An archived file no longer shares.
		if err := db.SetPersonArchived(ctx, med, with.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateOrientation(ctx, med, orientationInput(with.ID, "CAF", "identite"))
		wantErrKind(t, "archived person", err, maillon.ErrInvalid)

		// Another structure sees nothing.
		oa := storetest.Actor(other.Admin)
		_, err = db.FindOrientationByID(ctx, oa, o.ID)
		wantErrKind(t, "FindOrientationByID by another structure", err, maillon.ErrNotFound)
		wantErrKind(t, "SetOrientationStatus by another structure",
			db.SetOrientationStatus(ctx, oa, o.ID, maillon.OrientationStatusInput{Status: "transmise"}), maillon.ErrNotFound)
		_, err = db.CreatePartnerLink(ctx, oa, o.ID, 30)
		wantErrKind(t, "CreatePartnerLink by another structure", err, maillon.ErrNotFound)
		list, total, err := db.FindOrientations(ctx, oa, maillon.OrientationFilter{})
		if err != nil || total != 0 || len(list) != 0 {
			t.Errorf("another structure's list: %d, %v", total, err)
		}
		_, err = db.CreateOrientation(ctx, maillon.Actor{}, orientationInput(0, "CAF"))
		wantErrKind(t, "anonymous actor", err, maillon.ErrUnauthenticated)
	})
}

func TestOrientationStatusMachine(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		med := storetest.Actor(st.Mediator)
		colleague := storetest.Actor(storetest.MustCreateUser(t, db, st.ID, maillon.RoleMediateur))
		coord := storetest.Actor(st.Coordinator)
		o := mustOrientation(t, db, med, orientationInput(0, "France Travail"))

		set := func(a maillon.Actor, in maillon.OrientationStatusInput) error {
			return db.SetOrientationStatus(ctx, a, o.ID, in)
		}
		wantErrKind(t, "colleague (not the author)", set(colleague, maillon.OrientationStatusInput{Status: "transmise"}), maillon.ErrForbidden)
		wantErrKind(t, "unknown status", set(med, maillon.OrientationStatusInput{Status: "perdue"}), maillon.ErrInvalid)
		wantErrKind(t, "back to proposée", set(med, maillon.OrientationStatusInput{Status: "proposee"}), maillon.ErrInvalid)
		if err := set(med, maillon.OrientationStatusInput{Status: "transmise"}); err != nil {
			t.Fatal(err)
		}
		err := set(med, maillon.OrientationStatusInput{Status: "proposee"})
		if f := maillon.FieldsOf(err); !strings.Contains(f["status"], "proposée") {
			t.Errorf("transmise → proposée: %v", err)
		}
		err = set(med, maillon.OrientationStatusInput{Status: "refusee", Source: "personne"})
		if f := maillon.FieldsOf(err); f["reason"] == "" {
			t.Errorf("refusal without reason: %v", err)
		}
		err = set(med, maillon.OrientationStatusInput{Status: "refusee", Reason: "autre", Source: "personne"})
		if f := maillon.FieldsOf(err); f["text"] == "" {
			t.Errorf("refusal « autre » without details: %v", err)
		}
		err = set(med, maillon.OrientationStatusInput{Status: "refusee", Reason: "complet", Source: "partenaire_lien"})
		if f := maillon.FieldsOf(err); f["source"] == "" {
			t.Errorf("a manual outcome claiming the link: %v", err)
		}
		db.Clock.Advance(72 * time.Hour)
		if err := set(coord, maillon.OrientationStatusInput{Status: "refusee", Reason: "complet", Source: "partenaire"}); err != nil {
			t.Fatalf("coordinator records the refusal: %v", err)
		}
		err = set(med, maillon.OrientationStatusInput{Status: "prise_en_charge", Source: "personne"})
		if f := maillon.FieldsOf(err); !strings.Contains(f["status"], "close") {
			t.Errorf("a closed orientation moved: %v", err)
		}
		got, err := db.FindOrientationByID(ctx, med, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "refusee" || got.ClosureReason != "complet" || got.OutcomeSource != "partenaire" ||
			got.TransmittedAt.IsZero() || got.OutcomeAt.Sub(got.TransmittedAt) != 72*time.Hour {
			t.Errorf("after refusal: %+v", got)
		}
		if got.ClosureLabel() != "Plus de place ou délai trop long" {
			t.Errorf("closure label %q", got.ClosureLabel())
		}
		if len(got.History) < 3 {
			t.Errorf("history: %+v", got.History)
		}
		// Figures: one orientation, its outcome from the partner, 3 days.
		stats, err := db.FindPartnerStats(ctx, med, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(stats) != 1 || stats[0].Orientations != 1 || stats[0].Feedback != 1 || stats[0].MedianDays != 3 || stats[0].FeedbackRate() != 100 {
			t.Errorf("stats: %+v", stats)
		}
	})
}

func TestPartnerLink(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation des Pentes")
		med := storetest.Actor(st.Mediator)
		admin := storetest.Actor(st.Admin)
		p := sharingPerson(t, db, med, "Awa", "Diallo")
		o := mustOrientation(t, db, med, orientationInput(p.ID, "CCAS", "identite", "situation"))

		_, err := db.CreatePartnerLink(ctx, med, o.ID, 91)
		if f := maillon.FieldsOf(err); f["days"] == "" {
			t.Errorf("91 days: %v", err)
		}
		tok := mustLink(t, db, med, o.ID)
		if len(tok) < 40 {
			t.Fatalf("token %q is short", tok)
		}
		got, err := db.FindOrientationByID(ctx, med, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "transmise" || got.Link == nil || got.Link.State(db.Clock.Now()) != maillon.LinkOpen ||
			!got.Link.ExpiresAt.Equal(db.Clock.Now().Add(30*24*time.Hour)) {
			t.Errorf("after link: %+v %+v", got, got.Link)
		}

		// The link shows only what is shared: the name, not the phone.
		v, err := db.FindPartnerView(ctx, tok, "req")
		if err != nil {
			t.Fatal(err)
		}
		if v.State != maillon.LinkOpen || v.PersonName != "Awa Diallo" || v.Phone != "" || v.Email != "" ||
			v.SharedText == "" || v.StructureName != "Médiation des Pentes" || v.Reason != o.Reason {
			t.Errorf("partner view: %+v", v)
		}
		_, err = db.FindPartnerView(ctx, tok+"x", "req")
		wantErrKind(t, "unknown token", err, maillon.ErrNotFound)
		_, err = db.FindPartnerView(ctx, "", "req")
		wantErrKind(t, "empty token", err, maillon.ErrNotFound)

		// Answers: validated, then recorded once.
		err = db.AnswerPartnerLink(ctx, tok, maillon.PartnerAnswerInput{Answer: "refusee"}, "req")
		if f := maillon.FieldsOf(err); f["reason"] == "" {
			t.Errorf("refusal without reason: %v", err)
		}
		if err := db.AnswerPartnerLink(ctx, tok, maillon.PartnerAnswerInput{Answer: "non_venue"}, "req"); err != nil {
			t.Fatal(err)
		}
		err = db.AnswerPartnerLink(ctx, tok, maillon.PartnerAnswerInput{Answer: "prise_en_charge"}, "req")
		if !errors.Is(err, maillon.ErrConflict) || !strings.Contains(maillon.ErrorMessage(err, ""), "déjà") {
			t.Errorf("second answer: %v", err)
		}
		v, err = db.FindPartnerView(ctx, tok, "req")
		if err != nil || v.State != maillon.LinkAnswered || v.PersonName != "" || v.SharedText != "" || v.Reason != "" {
			t.Errorf("answered link reveals %+v, %v", v, err)
		}
		got, err = db.FindOrientationByID(ctx, med, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "sans_suite" || got.ClosureReason != "non_venue" || got.OutcomeSource != "partenaire_lien" {
			t.Errorf("after the partner's answer: %+v", got)
		}
		_, err = db.CreatePartnerLink(ctx, med, o.ID, 30)
		wantErrKind(t, "link on a closed orientation", err, maillon.ErrInvalid)

		// Every use of the link is in the audit log, without a user.
		entries, _, err := db.FindAuditEntries(ctx, admin, maillon.AuditFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		count := map[maillon.AuditAction]int{}
		for _, e := range entries {
			if e.RecordType == "orientation" && e.RecordID == int64(o.ID) {
				count[e.Action]++
				if strings.HasPrefix(string(e.Action), "orientation.link_") && e.Action != maillon.AuditPartnerLinkCreate && e.ActorID != 0 {
					t.Errorf("partner action %s recorded with actor %d", e.Action, e.ActorID)
				}
			}
		}
		if count[maillon.AuditPartnerLinkView] != 1 || count[maillon.AuditPartnerLinkAnswer] != 1 ||
			count[maillon.AuditPartnerLinkRefused] != 2 || count[maillon.AuditPartnerLinkCreate] != 1 {
			t.Errorf("audit of the link: %v", count)
		}

		// Expiry, and revocation by the mediator.
		o2 := mustOrientation(t, db, med, orientationInput(p.ID, "CCAS", "identite"))
		tok2, err := db.CreatePartnerLink(ctx, med, o2.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(24 * time.Hour)
		v, err = db.FindPartnerView(ctx, tok2, "req")
		if err != nil || v.State != maillon.LinkExpired || v.PersonName != "" {
			t.Errorf("expired link: %+v, %v", v, err)
		}
		wantErrKind(t, "answer on an expired link", db.AnswerPartnerLink(ctx, tok2, maillon.PartnerAnswerInput{Answer: "prise_en_charge"}, "req"), maillon.ErrConflict)
		tok3 := mustLink(t, db, med, o2.ID)
		tok4 := mustLink(t, db, med, o2.ID) // replaces tok3
		if v, _ := db.FindPartnerView(ctx, tok3, "req"); v == nil || v.State != maillon.LinkRevoked {
			t.Errorf("replaced link: %+v", v)
		}
		if err := db.RevokePartnerLink(ctx, med, o2.ID); err != nil {
			t.Fatal(err)
		}
		wantErrKind(t, "revoking twice", db.RevokePartnerLink(ctx, med, o2.ID), maillon.ErrInvalid)
		if v, _ := db.FindPartnerView(ctx, tok4, "req"); v == nil || v.State != maillon.LinkRevoked {
			t.Errorf("revoked link: %+v", v)
		}
		// Closing the orientation by hand ends its link.
		tok5 := mustLink(t, db, med, o2.ID)
		if err := db.SetOrientationStatus(ctx, med, o2.ID, maillon.OrientationStatusInput{Status: "prise_en_charge", Source: "personne"}); err != nil {
			t.Fatal(err)
		}
		if v, _ := db.FindPartnerView(ctx, tok5, "req"); v == nil || v.State != maillon.LinkRevoked {
			t.Errorf("link of a closed orientation: %+v", v)
		}
	})
}

// TestConsentWithdrawalRevokesPartnerLinks: once the person withdraws the
// sharing consent, no link shows anything and no new one can be made.
func TestConsentWithdrawalRevokesPartnerLinks(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		med := storetest.Actor(st.Mediator)
		p := sharingPerson(t, db, med, "Awa", "Diallo")
		other := sharingPerson(t, db, med, "Paul", "Autre")
		o := mustOrientation(t, db, med, orientationInput(p.ID, "CCAS", "identite", "coordonnees"))
		keep := mustOrientation(t, db, med, orientationInput(other.ID, "CCAS", "identite"))
		tok := mustLink(t, db, med, o.ID)
		keepTok := mustLink(t, db, med, keep.ID)
		if v, err := db.FindPartnerView(ctx, tok, "req"); err != nil || v.Phone != "06 12 34 56 78" || v.Email != "personne@exemple.fr" {
			t.Fatalf("before withdrawal: %+v, %v", v, err)
		}
		for _, c := range mustFile(t, db, med, p.ID).Consents {
			if c.Scope == "partage" {
				if err := db.WithdrawConsent(ctx, med, c.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		v, err := db.FindPartnerView(ctx, tok, "req")
		if err != nil || v.State != maillon.LinkRevoked || v.PersonName != "" || v.Phone != "" {
			t.Errorf("after withdrawal the link shows %+v, %v", v, err)
		}
		wantErrKind(t, "answer after withdrawal", db.AnswerPartnerLink(ctx, tok, maillon.PartnerAnswerInput{Answer: "prise_en_charge"}, "req"), maillon.ErrConflict)
		_, err = db.CreatePartnerLink(ctx, med, o.ID, 30)
		if !errors.Is(err, maillon.ErrInvalid) || !strings.Contains(maillon.ErrorMessage(err, ""), "accord") {
			t.Errorf("new link after withdrawal: %v", err)
		}
		_, err = db.CreateOrientation(ctx, med, orientationInput(p.ID, "CAF", "identite"))
		wantErrKind(t, "new orientation after withdrawal", err, maillon.ErrInvalid)
		// Another person's link is untouched.
		if v, err := db.FindPartnerView(ctx, keepTok, "req"); err != nil || v.State != maillon.LinkOpen {
			t.Errorf("another person's link: %+v, %v", v, err)
		}
		// Archiving a file ends its links too.
		archivedTok := mustLink(t, db, med, keep.ID)
		if err := db.SetPersonArchived(ctx, med, other.ID, true); err != nil {
			t.Fatal(err)
		}
		if v, err := db.FindPartnerView(ctx, archivedTok, "req"); err != nil || v.State != maillon.LinkRevoked {
			t.Errorf("link of an archived file: %+v, %v", v, err)
		}
		// The orientation itself stays, for the record.
		if got, err := db.FindOrientationByID(ctx, med, o.ID); err != nil || got.PersonID != p.ID {
			t.Errorf("orientation after withdrawal: %+v, %v", got, err)
		}
	})
}

func TestOrientationFollowUpsAndTimeline(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		med := storetest.Actor(st.Mediator)
		coord := storetest.Actor(st.Coordinator)
		p := sharingPerson(t, db, med, "Awa", "Diallo")
		o := mustOrientation(t, db, med, orientationInput(p.ID, "Mission locale", "identite"))
		noDate := orientationInput(0, "PMI")
		noDate.ExpectedOn = ""
		mustOrientation(t, db, med, noDate)

		fus, err := db.FindFollowUps(ctx, med, maillon.FollowUpFilter{MediatorID: med.UserID})
		if err != nil {
			t.Fatal(err)
		}
		if len(fus) != 1 || fus[0].OrientationID != o.ID || fus[0].URL() != "/orientations/"+itoa(int(o.ID)) ||
			len(fus[0].Persons) != 1 || fus[0].Persons[0].ID != p.ID || !strings.Contains(fus[0].NextStep, "Mission locale") {
			t.Errorf("follow-ups: %+v", fus)
		}
		if fus, _ := db.FindFollowUps(ctx, coord, maillon.FollowUpFilter{MediatorID: coord.UserID}); len(fus) != 0 {
			t.Errorf("the coordinator's own follow-ups: %+v", fus)
		}
		// The counts of the home page: the feedback is expected on the
		// 24th, so due that day and late the day after.
		for _, c := range []struct {
			day  int
			who  maillon.UserID
			want maillon.FollowUpCounts
		}{{23, med.UserID, maillon.FollowUpCounts{}}, {24, med.UserID, maillon.FollowUpCounts{Today: 1}},
			{25, med.UserID, maillon.FollowUpCounts{Overdue: 1}}, {25, coord.UserID, maillon.FollowUpCounts{}},
			{25, 0, maillon.FollowUpCounts{Overdue: 1}}} {
			got, err := db.CountFollowUps(ctx, med, c.who, time.Date(2026, 3, c.day, 0, 0, 0, 0, maillon.Paris))
			if err != nil || got != c.want {
				t.Errorf("counts on the %d for user %d: %+v, %v; want %+v", c.day, c.who, got, err, c.want)
			}
		}
		until := time.Date(2026, 3, 20, 0, 0, 0, 0, maillon.Paris)
		if fus, _ := db.FindFollowUps(ctx, med, maillon.FollowUpFilter{Until: until}); len(fus) != 0 {
			t.Errorf("follow-ups until the 20th: %+v", fus)
		}
		f := mustFile(t, db, med, p.ID)
		found := false
		for _, e := range f.Timeline {
			found = found || (e.Kind == "orientation" && e.Title == "Orientation vers Mission locale" && e.URL == "/orientations/"+itoa(int(o.ID)))
		}
		if !found || len(f.FollowUps) != 1 || f.FollowUps[0].OrientationID != o.ID {
			t.Errorf("file: timeline %+v, follow-ups %+v", f.Timeline, f.FollowUps)
		}
		// Known outcome: no more follow-up.
		if err := db.SetOrientationStatus(ctx, med, o.ID, maillon.OrientationStatusInput{Status: "prise_en_charge", Source: "personne"}); err != nil {
			t.Fatal(err)
		}
		if fus, _ := db.FindFollowUps(ctx, med, maillon.FollowUpFilter{}); len(fus) != 0 {
			t.Errorf("follow-ups after the outcome: %+v", fus)
		}
		// Merging files keeps the orientation with the kept file.
		dup := mustCreatePerson(t, db, med, newPerson("Awa", "Diallo"))
		if err := db.MergePersons(ctx, coord, dup.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FindOrientationByID(ctx, med, o.ID); err != nil || got.PersonID != dup.ID {
			t.Errorf("after merge: %+v, %v", got, err)
		}
		// Filters.
		list, total, err := db.FindOrientations(ctx, med, maillon.OrientationFilter{Partner: "MISSION", Status: "prise_en_charge"})
		if err != nil || total != 1 || list[0].ID != o.ID {
			t.Errorf("filtered list: %+v (%d), %v", list, total, err)
		}
		if _, total, _ := db.FindOrientations(ctx, med, maillon.OrientationFilter{CreatedBy: coord.UserID}); total != 0 {
			t.Errorf("the coordinator's orientations: %d", total)
		}
	})
}

// TestOrientationListFiltersAndTotals checks the list's filters and totals
// on every page: the partner filter (resolved to the structure's partner
// keys), a page past the end, a structure's keys not leaking into another's.
func TestOrientationListFiltersAndTotals(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation")
		other := storetest.MustCreateStructure(t, db, "Autre")
		med := storetest.Actor(st.Mediator)
		for i, p := range []string{"CAF du Rhône", "caf  du rhône", "CCAS de Lyon", "Mission locale", "CAF de l'Ain"} {
			for j := 0; j <= i; j++ {
				mustOrientation(t, db, med, orientationInput(0, p))
			}
		}
		mustOrientation(t, db, storetest.Actor(other.Mediator), orientationInput(0, "CAF d'ailleurs"))
		cases := []struct {
			f     maillon.OrientationFilter
			total int
		}{
			{maillon.OrientationFilter{}, 15},
			{maillon.OrientationFilter{Partner: "caf"}, 1 + 2 + 5},
			{maillon.OrientationFilter{Partner: "Rhone"}, 3},
			{maillon.OrientationFilter{Partner: "ailleurs"}, 0},
			{maillon.OrientationFilter{Partner: "caf", Limit: 3}, 8},
			{maillon.OrientationFilter{Partner: "caf", Limit: 3, Offset: 6}, 8},
			{maillon.OrientationFilter{Partner: "caf", Limit: 3, Offset: 30}, 8},
			{maillon.OrientationFilter{Status: maillon.OrientationTransmise}, 0},
			{maillon.OrientationFilter{CreatedBy: st.Mediator.ID, Limit: 4}, 15},
		}
		for _, c := range cases {
			list, total, err := db.FindOrientations(ctx, med, c.f)
			if err != nil {
				t.Fatal(err)
			}
			want := min(max(c.total-c.f.Offset, 0), c.f.Limit)
			if c.f.Limit == 0 {
				want = c.total
			}
			if total != c.total || len(list) != want {
				t.Errorf("%+v: %d rows, total %d; want %d rows, total %d", c.f, len(list), total, want, c.total)
			}
			for i := 1; i < len(list); i++ {
				if list[i].CreatedAt.After(list[i-1].CreatedAt) || list[i].CreatedAt.Equal(list[i-1].CreatedAt) && list[i].ID > list[i-1].ID {
					t.Errorf("%+v: not newest first", c.f)
				}
			}
		}
	})
}
