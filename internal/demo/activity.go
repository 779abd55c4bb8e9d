package demo

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"maillon"
)

// Team activity (tournées, anonymous reception, technical watch, conflicts)
// and the last touches of the plan: follow-ups, consents, profiles, notes.

func (w *world) teamZones(team string) []*zoneRef {
	var out []*zoneRef
	for _, c := range w.communes {
		for _, z := range c.zones {
			if (team == "soir" && z.qpv) || c.team == team {
				out = append(out, z)
			}
		}
	}
	return out
}

// tally spreads total anonymous people over a few age bands and genders.
func (w *world) tally(total int, young bool) []maillon.AnonymousCount {
	var out []maillon.AnonymousCount
	for total > 0 {
		n := min(total, w.between(2, 7))
		total -= n
		band := w.weighted("16_25", 25, "26_44", 30, "45_64", 25, "65_plus", 12, "moins_16", 8)
		if young {
			band = w.weighted("16_25", 60, "moins_16", 15, "26_44", 20, "45_64", 5)
		}
		g := w.weighted("homme", 48, "femme", 46, "non_precise", 6)
		out = append(out, maillon.AnonymousCount{AgeBand: band, Gender: g, Count: n})
	}
	return out
}

// planTeamActivity plans the activity that names nobody.
func (w *world) planTeamActivity() {
	tourDay := map[string]time.Weekday{"ven": time.Thursday, "sfsp": time.Tuesday}
	for d := w.from; d.Before(w.today); d = d.AddDate(0, 0, 1) {
		if raceBuild && w.rnd.IntN(4) != 0 {
			continue // see race.go
		}
		for _, team := range []string{"ven", "sfsp"} {
			if !w.works(team, d) {
				continue
			}
			if d.Weekday() == tourDay[team] && w.chance(85) {
				w.tournee(team, d)
			}
			for k := w.weightedInt(0, 58, 1, 35, 2, 7); k > 0; k-- {
				w.anonAccueil(team, d)
			}
			if w.chance(7) {
				w.veille(team, d)
			}
			if w.chance(5) {
				w.anonConflit(team, d)
			}
			if w.chance(3) {
				w.anonOrientation(team, d)
			}
		}
		if w.works("soir", d) {
			pct := 52
			switch d.Weekday() {
			case time.Saturday:
				pct = 80
			case time.Sunday:
				pct = 100
			}
			if w.chance(pct) {
				w.tournee("soir", d)
			}
			if w.chance(15) && d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
				w.anonAccueil("soir", d)
			}
			if w.chance(6) {
				w.anonConflit("soir", d)
			}
		}
	}
}

func (w *world) tournee(team string, d time.Time) {
	z := pick(w, w.teamZones(team))
	var ms []*member
	evening := team == "soir"
	if evening {
		ms = append(ms, w.teams["soir"]...)
		if w.chance(10) {
			ms[1] = pick(w, []*member{w.members["karim"], w.members["yacine"]})
		}
	} else {
		ms = w.mediatorsFor(pick(w, w.teams[team]), 90)
	}
	iv := &ivPlan{mediators: ms, registre: "presence", initiative: "mediation", commune: z.commune, zone: z,
		minutes: w.between(6, 12) * 15}
	windows := []window{{14 * 60, 17*60 + 45}}
	texts := tourneeDayTexts
	switch {
	case evening && d.Weekday() == time.Saturday:
		windows, texts = []window{{14*60 + 30, 21 * 60}}, tourneeSaturdayTexts
	case evening && d.Weekday() == time.Sunday:
		windows, texts = []window{{14*60 + 30, 19 * 60}}, tourneeSundayTexts
	case evening:
		windows, texts = []window{{18 * 60, 23 * 60}}, tourneeEveningTexts
	}
	iv.placeType = "espace_public"
	switch {
	case w.chance(22) || (evening && w.chance(15)):
		iv.placeType = "transport"
		texts = transportTexts
		iv.commanditaire = "Transporteur (convention de présence)"
	case !evening && w.chance(15):
		iv.placeType = "etablissement_scolaire"
		texts = schoolTourTexts
	case !evening && w.chance(30):
		iv.commanditaire = "Bailleur social (convention de médiation)"
	}
	t := pick(w, texts)
	iv.label, iv.description = t.label, zoneText(t.text, z.name)
	iv.anonymous = w.tally(w.between(4, 16), evening)
	iv.themes = []string{"voisinage"}
	if w.chance(40) {
		iv.themes = append(iv.themes, pick(w, []string{"loisirs", "famille", "education", "sante"}))
	}
	if iv.placeType == "transport" {
		iv.themes = append(iv.themes, "mobilite")
	}
	iv.outcome = w.weighted("resolu", 85, "partiel", 15)
	if w.chance(20) {
		iv.registres = append(iv.registres, "orientation")
		iv.description += " Deux personnes orientées vers la permanence pour des démarches."
	}
	if evening && w.chance(18) {
		iv.registres = append(iv.registres, "conflit")
		iv.description += " " + pick(w, tensionTexts)
		iv.outcome = w.weighted("resolu", 70, "partiel", 30)
	}
	if w.chance(14) {
		v := pick(w, veilleTexts)
		iv.registres = append(iv.registres, "veille_technique")
		iv.description += " " + v.text
		iv.institutions = v.inst
		iv.nextStep = "Vérifier la réparation lors de la prochaine tournée"
		iv.followUp = d.AddDate(0, 0, w.between(7, 14))
		iv.outcome = "en_attente"
	}
	if start, ok := w.slot(d, windows, iv.minutes, ms); ok {
		iv.start = start
		w.ivs = append(w.ivs, iv)
	}
}

func (w *world) anonAccueil(team string, d time.Time) {
	w.anonAccueilBy(team, d, pick(w, w.teams[team]))
}

func (w *world) anonAccueilBy(team string, d time.Time, m *member) {
	z := pick(w, w.teamZones(team))
	iv := &ivPlan{mediators: []*member{m}, registre: "accueil", initiative: "personne", minutes: w.between(2, 6) * 5}
	iv.anonymous = w.tally(w.weightedInt(1, 85, 2, 15), team == "soir")
	if w.chance(25) {
		iv.placeType = "telephone"
		iv.description = pick(w, phoneAccueilTexts)
		iv.themes = nil
	} else {
		iv.placeType = "permanence"
		iv.label, iv.commune, iv.zone = w.permanence(z, z.commune)
		t := pick(w, accueilTexts)
		iv.description, iv.themes = t.text, slices.Clone(t.themes)
	}
	iv.outcome = w.weighted("resolu", 75, "oriente", 15, "en_attente", 10)
	if iv.outcome == "oriente" {
		iv.registres = []string{"orientation"}
	}
	if start, ok := w.slot(d, w.windowsFor(team, d, false), iv.minutes, iv.mediators); ok {
		iv.start = start
		w.ivs = append(w.ivs, iv)
	}
}

func (w *world) veille(team string, d time.Time) {
	z := pick(w, w.teamZones(team))
	v := pick(w, veilleTexts)
	iv := &ivPlan{mediators: w.mediatorsFor(pick(w, w.teams[team]), 40), registre: "veille_technique", initiative: "mediation",
		placeType: "espace_public", commune: z.commune, zone: z, label: v.label, minutes: w.between(3, 8) * 5,
		description: v.text, institutions: v.inst, outcome: "en_attente",
		nextStep: "Vérifier la réparation et informer les habitants", followUp: d.AddDate(0, 0, w.between(7, 21))}
	iv.themes = []string{"voisinage"}
	switch v.inst {
	case "Bailleur":
		iv.themes = append(iv.themes, "logement")
	case "Transporteur":
		iv.themes = append(iv.themes, "mobilite")
	}
	if start, ok := w.slot(d, officeWindows, iv.minutes, iv.mediators); ok {
		iv.start = start
		w.ivs = append(w.ivs, iv)
	}
}

func (w *world) anonConflit(team string, d time.Time) {
	z := pick(w, w.teamZones(team))
	iv := &ivPlan{mediators: w.mediatorsFor(pick(w, w.teams[team]), 80), registre: "conflit", commune: z.commune, zone: z,
		minutes: w.between(3, 8) * 15, themes: []string{"voisinage"}}
	if team == "soir" {
		iv.mediators = slices.Clone(w.teams["soir"])
	}
	c := pick(w, conflitTexts)
	for team == "soir" && c.place == "etablissement_scolaire" {
		c = pick(w, conflitTexts) // no school run in the evening
	}
	iv.placeType, iv.label, iv.description = c.place, c.label, c.text
	iv.anonymous = []maillon.AnonymousCount{
		{AgeBand: w.weighted("26_44", 45, "45_64", 40, "65_plus", 15), Gender: w.weighted("femme", 50, "homme", 50), Count: 1},
		{AgeBand: w.weighted("26_44", 45, "45_64", 40, "65_plus", 15), Gender: w.weighted("femme", 50, "homme", 50), Count: w.between(1, 3)},
	}
	iv.initiative = w.weighted("partenaire", 40, "personne", 40, "mediation", 20)
	if iv.initiative == "partenaire" {
		iv.commanditaire = "Bailleur social (convention de médiation)"
		iv.institutions = "Bailleur social"
	}
	iv.outcome = w.weighted("partiel", 40, "resolu", 35, "en_attente", 25)
	iv.nextStep = "Faire le point avec chacune des personnes"
	iv.followUp = d.AddDate(0, 0, w.between(7, 14))
	if start, ok := w.slot(d, w.windowsFor(team, d, true), iv.minutes, iv.mediators); ok {
		iv.start = start
		w.ivs = append(w.ivs, iv)
	}
}

// anonymousOrientations are the orientations given without sharing
// anything about the person.
var anonymousOrientations = []int{3, 5, 7, 8, 9}

func (w *world) anonOrientation(team string, d time.Time) {
	z := pick(w, w.teamZones(team))
	o := orientations[pick(w, anonymousOrientations)]
	iv := &ivPlan{mediators: []*member{pick(w, w.teams[team])}, registre: "orientation", initiative: "personne",
		minutes: w.between(3, 6) * 5, description: o.text, themes: slices.Clone(o.themes), institutions: o.inst, outcome: "oriente"}
	iv.anonymous = w.tally(1, false)
	iv.placeType = w.weighted("permanence", 70, "telephone", 30)
	if iv.placeType == "permanence" {
		iv.label, iv.commune, iv.zone = w.permanence(z, z.commune)
	}
	if start, ok := w.slot(d, officeWindows, iv.minutes, iv.mediators); ok {
		iv.start = start
		w.ivs = append(w.ivs, iv)
	}
}

// planConflicts plans a few conflicts between named neighbours (W3):
// each party met at home, a joint meeting, a follow-up call.
func (w *world) planConflicts() {
	byZone := map[*zoneRef][]*personPlan{}
	var zones []*zoneRef
	for _, p := range w.people {
		if p.zone == nil || p.trajectory || p.partner != nil || p.duplicate || p.in.Pseudonym != "" || p.team == "soir" {
			continue
		}
		if _, ok := byZone[p.zone]; !ok {
			zones = append(zones, p.zone)
		}
		byZone[p.zone] = append(byZone[p.zone], p)
	}
	cases := 0
	for _, z := range zones {
		ps := byZone[z]
		if cases == 3 || len(ps) < 2 {
			continue
		}
		parties := ps[:2]
		if cases == 0 && len(ps) >= 3 {
			parties = ps[:3]
		}
		d := parties[0].firstSeen
		for _, p := range parties {
			if p.firstSeen.After(d) {
				d = p.firstSeen
			}
		}
		if d.Before(w.from) {
			d = w.from.AddDate(0, 0, w.between(0, 60))
		}
		d = d.AddDate(0, 0, w.between(3, 20))
		if d.After(w.today.AddDate(0, 0, -25)) {
			continue
		}
		cases++
		a := parties[0]
		author := a.referent
		if author == nil {
			author = a.creator
		}
		partner := w.partnerOf(author)
		base := func(persons []*personPlan, place, text string) *ivPlan {
			iv := &ivPlan{persons: persons, registre: "conflit", themes: []string{"voisinage", "logement"}, placeType: place,
				commune: z.commune, zone: z, description: text, mediators: []*member{author}, caseStep: true}
			if partner != nil {
				iv.mediators = append(iv.mediators, partner)
			}
			if cases == 2 {
				iv.commanditaire = "Bailleur social (convention de médiation)"
			}
			return iv
		}
		steps := []*ivPlan{
			base(parties[:1], "domicile", conflitCase.first),
			base(parties[1:2], "domicile", conflitCase.second),
			base(parties, "partenaire", conflitCase.joint),
			base(parties[:1], "telephone", conflitCase.follow),
		}
		steps[0].initiative = w.weighted("personne", 60, "partenaire", 40)
		steps[1].initiative, steps[2].initiative, steps[3].initiative = "mediation", "mediation", "mediation"
		steps[0].minutes, steps[1].minutes, steps[2].minutes, steps[3].minutes = 60, 45, 90, 15
		steps[0].outcome, steps[1].outcome, steps[2].outcome = "en_attente", "en_attente", "resolu"
		steps[3].outcome, steps[3].registre, steps[3].mediators = "resolu", "suivi", []*member{author}
		steps[2].label, steps[2].institutions = "Salle du centre social", ""
		steps[0].nextStep, steps[1].nextStep = "Rencontrer l'autre personne concernée", "Organiser la rencontre commune"
		steps[2].nextStep = "Appeler chacune des personnes pour savoir si l'accord tient"
		gaps := []int{0, w.between(2, 5), w.between(6, 12), w.between(25, 35)}
		for i, iv := range steps {
			d = d.AddDate(0, 0, gaps[i])
			if !w.book(iv, a.team, d) {
				break
			}
			d = day(iv.start)
			for _, p := range iv.persons {
				p.ivs = append(p.ivs, iv)
				p.conflict = true
			}
			if i > 0 {
				prev := steps[i-1]
				prev.followUp, prev.followDone = d, true
			}
		}
	}
}

// ---- final touches ----

func (w *world) finish() {
	// Someone whose first contact could not be placed is left out.
	kept := w.people[:0]
	for _, p := range w.people {
		if len(p.ivs) > 0 {
			kept = append(kept, p)
		}
	}
	w.people = kept
	for _, p := range w.people {
		if p.follower {
			p.firstSeen = p.partner.firstSeen
		}
		sort.SliceStable(p.ivs, func(i, j int) bool { return p.ivs[i].start.Before(p.ivs[j].start) })
	}
	for _, p := range w.people {
		if !p.follower {
			w.storyFollowUps(p)
		}
	}
	for _, iv := range w.ivs {
		if !iv.followUp.IsZero() && iv.nextStep == "" {
			iv.nextStep = "Rappeler la personne pour faire le point"
		}
		if iv.followUp.IsZero() && iv.outcome == "resolu" {
			iv.nextStep = "" // nothing left to do
		}
		if len(iv.persons) == 0 && !iv.followUp.IsZero() && iv.followUp.Before(w.today) {
			iv.followDone = w.chance(88)
		}
	}
	w.ensurePersonInitiative()
	w.ensureProcedureOutcomes()
	for _, p := range w.people {
		w.planConsents(p)
		w.planProfiles(p)
	}
	w.planNotes()
	w.planEndings()
	// The demo accounts show full lists; every mediator has some.
	for _, k := range []string{"karim", "sophie", "yacine", "lea", "moussa", "ines"} {
		n := 1
		if k == "karim" {
			n = 2 // mediation@demo.maillon.test
		}
		w.ensureFollowUps(w.members[k], n)
	}
}

// storyFollowUps sets the next-step dates of a person's own story: each
// step announces the next one; the last one may leave a follow-up open.
func (w *world) storyFollowUps(p *personPlan) {
	var own []*ivPlan
	for _, iv := range p.ivs {
		if iv.persons[0] == p && !iv.caseStep {
			own = append(own, iv)
		}
	}
	for i, iv := range own {
		d := day(iv.start)
		if i+1 < len(own) {
			if w.chance(45) {
				continue // the next meeting was simply agreed on
			}
			next := day(own[i+1].start)
			f := next.AddDate(0, 0, -w.between(0, 2))
			if f.Before(d) {
				f = d
			}
			iv.followUp, iv.followDone = f, true
			if iv.nextStep == "" {
				iv.nextStep = "Prochain rendez-vous à la permanence"
			}
			continue
		}
		if iv.outcome == "en_attente" || iv.outcome == "partiel" || iv.outcome == "non_resolu" || w.chance(25) {
			iv.followUp = d.AddDate(0, 0, w.between(5, 25))
			if iv.followUp.Before(w.today) {
				iv.followDone = w.chance(70)
			}
		}
	}
}

// ensureFollowUps makes sure a mediator's list of follow-ups has
// something in each bucket: overdue, today, this week.
func (w *world) ensureFollowUps(m *member, n int) {
	// Interventions naming people first, then the technical watch and
	// the conflicts, newest first.
	var mine, others []*ivPlan
	for _, iv := range w.ivs {
		switch {
		case !slices.Contains(iv.mediators, m) || ended(iv):
		case len(iv.persons) > 0:
			mine = append(mine, iv)
		case iv.registre == "veille_technique" || iv.registre == "conflit":
			others = append(others, iv)
		}
	}
	newest := func(l []*ivPlan) {
		sort.SliceStable(l, func(i, j int) bool { return l[i].start.After(l[j].start) })
	}
	newest(mine)
	newest(others)
	mine = append(mine, others...)
	count := func(f func(t time.Time) bool) int {
		n := 0
		for _, iv := range mine {
			if !iv.followUp.IsZero() && !iv.followDone && f(iv.followUp) {
				n++
			}
		}
		return n
	}
	overdue := func(t time.Time) bool { return t.Before(w.today) }
	today := func(t time.Time) bool { return t.Equal(w.today) }
	week := func(t time.Time) bool { return t.After(w.today) && !t.After(w.today.AddDate(0, 0, 7)) }
	set := func(pred func(time.Time) bool, want, minAge, maxAge int, oldest bool, target func(d time.Time) time.Time) {
		// Interventions without a follow-up first, then those whose
		// follow-up was done.
		for pass := 0; pass < 2; pass++ {
			for i := range mine {
				iv := mine[i]
				if oldest {
					iv = mine[len(mine)-1-i]
				}
				if count(pred) >= want {
					return
				}
				if (pass == 0) != iv.followUp.IsZero() || (!iv.followUp.IsZero() && !iv.followDone) || iv.caseStep {
					continue
				}
				d := day(iv.start)
				age := int(w.today.Sub(d).Hours() / 24)
				if age < minAge || age > maxAge {
					continue
				}
				iv.followUp, iv.followDone = target(d), false
				if iv.nextStep == "" {
					iv.nextStep = "Rappeler la personne pour faire le point"
				}
			}
		}
	}
	later := func(t time.Time) bool { return t.After(w.today.AddDate(0, 0, 7)) }
	// Recent interventions announce the coming follow-ups; older ones
	// were forgotten.
	set(today, n, 1, 120, false, func(time.Time) time.Time { return w.today })
	set(week, 2*n, 1, 120, false, func(time.Time) time.Time { return w.today.AddDate(0, 0, w.between(1, 6)) })
	set(later, n, 1, 150, false, func(time.Time) time.Time { return w.today.AddDate(0, 0, w.between(9, 30)) })
	set(overdue, 2*n, 15, 180, true, func(d time.Time) time.Time { return d.AddDate(0, 0, w.between(7, 14)) })
}

func (w *world) planConsents(p *personPlan) {
	var partage, institution time.Time
	for _, iv := range p.ivs {
		d := day(iv.start)
		if (iv.registre == "orientation" || slices.Contains(iv.registres, "orientation")) && partage.IsZero() {
			partage = d
		}
		mandate := false
		for _, pr := range iv.procs {
			mandate = mandate || pr.mandate
		}
		if (iv.registre == "mediation_institution" || slices.Contains(iv.registres, "mediation_institution") || mandate) && institution.IsZero() {
			institution = d
		}
	}
	if partage.IsZero() && w.chance(12) {
		partage = p.firstSeen
	}
	if institution.IsZero() && w.chance(8) {
		institution = p.firstSeen
	}
	method := func() string {
		if w.chance(45) {
			return "ecrit"
		}
		return "oral"
	}
	if !partage.IsZero() {
		p.consents = append(p.consents, consentPlan{"partage", method(), partage})
	}
	if !institution.IsZero() {
		p.consents = append(p.consents, consentPlan{"institution", method(), institution})
	}
}

func (w *world) profileAt(p *personPlan, d time.Time, level int) maillon.AutonomyInput {
	in := maillon.AutonomyInput{Date: ymd(d), Level: fmt.Sprint(level)}
	switch level {
	case 1:
		in.Equipment = [][]string{{"aucun"}, {"smartphone"}, {"smartphone"}}[w.rnd.IntN(3)]
		in.Internet = w.weighted("non", 35, "limite", 45, "inconnu", 20)
		in.FranceConnect = w.weighted("non", 60, "inconnu", 40)
	case 2:
		in.Equipment = [][]string{{"smartphone"}, {"smartphone", "ordinateur"}, {"smartphone", "tablette"}}[w.rnd.IntN(3)]
		in.Internet = w.weighted("oui", 60, "limite", 40)
		in.FranceConnect = w.weighted("oui", 40, "non", 40, "inconnu", 20)
	default:
		in.Equipment = [][]string{{"smartphone", "ordinateur"}, {"smartphone"}, {"smartphone", "ordinateur", "tablette"}}[w.rnd.IntN(3)]
		in.Internet = "oui"
		in.FranceConnect = "oui"
	}
	if slices.Contains(in.Equipment, "aucun") {
		in.Internet = "non"
	}
	switch {
	case p.in.Email != "":
		in.HasEmail = "oui"
	case level == 1:
		in.HasEmail = w.weighted("non", 70, "inconnu", 30)
	default:
		in.HasEmail = w.weighted("oui", 50, "non", 30, "inconnu", 20)
	}
	return in
}

func (w *world) planProfiles(p *personPlan) {
	if !p.profile {
		return
	}
	first := p.level
	if p.trajectory {
		first = 1
	}
	p.profiles = append(p.profiles, w.profileAt(p, p.firstSeen, first))
	if p.trajectory {
		// A full profile once autonomous, at the last procedure.
		var last time.Time
		for _, iv := range p.ivs {
			if len(iv.procs) > 0 {
				last = day(iv.start)
			}
		}
		if !last.IsZero() && last.After(p.firstSeen) {
			in := w.profileAt(p, last, 3)
			in.HasEmail = "oui"
			p.profiles = append(p.profiles, in)
		}
	}
}

func (w *world) noteAuthor(p *personPlan) *member {
	if p.referent != nil {
		return p.referent
	}
	return p.creator
}

func (w *world) planNotes() {
	for _, p := range w.people {
		if len(p.ivs) == 0 {
			continue
		}
		a := w.noteAuthor(p)
		if p.in.InterpreterNeeded && w.chance(60) {
			p.notes = append(p.notes, notePlan{a, interpreterNote, false})
		}
		for _, need := range p.in.AccessNeeds {
			if t, ok := accessNotes[need]; ok {
				p.notes = append(p.notes, notePlan{a, t, false})
			}
		}
		if w.chance(22) {
			p.notes = append(p.notes, notePlan{a, pick(w, publicNotes), false})
		}
		for _, n := range p.needs {
			if t, ok := needNotes[n.key]; ok && w.chance(40) {
				p.notes = append(p.notes, notePlan{a, t, false})
				break
			}
		}
	}
	// A few private reminders, each seen by its author only.
	k := 0
	for _, p := range w.people {
		if k < len(privateNotes) && len(p.ivs) >= 2 && p.referent != nil && p.idx%7 == 3 {
			p.notes = append(p.notes, notePlan{p.referent, privateNotes[k], true})
			k++
		}
	}
}

// planEndings chooses the withdrawn consents and the archived files,
// among people followed alone (no couple, conflict, trajectory or
// duplicate), preferring some and falling back on the others.
func (w *world) planEndings() {
	var plain []*personPlan
	for _, p := range w.people {
		if !p.trajectory && !p.follower && p.partner == nil && !p.conflict && !p.duplicate && len(p.ivs) > 0 {
			plain = append(plain, p)
		}
	}
	last := func(p *personPlan) time.Time { return day(p.ivs[len(p.ivs)-1].start) }
	choose := func(want int, ok func(p *personPlan) bool, prefer func(p *personPlan) bool, do func(p *personPlan)) {
		for pass := 0; pass < 2 && want > 0; pass++ {
			for _, p := range plain {
				if want > 0 && p.withdraw == "" && !p.archive && ok(p) && (pass == 1 || prefer(p)) {
					do(p)
					want--
				}
			}
		}
	}
	// One person withdraws the consent to the file: it is archived.
	choose(1, func(p *personPlan) bool { return len(p.ivs) >= 2 && last(p).Before(w.today.AddDate(0, 0, -20)) },
		func(p *personPlan) bool { return true },
		func(p *personPlan) { p.withdraw = maillon.ConsentDossier })
	// Two withdraw a consent to share or to contact an institution.
	choose(2, func(p *personPlan) bool { return len(p.consents) > 0 },
		func(p *personPlan) bool { return p.idx%2 == 1 },
		func(p *personPlan) { p.withdraw = p.consents[0].scope })
	// Three files of people who moved away are archived.
	choose(3, func(p *personPlan) bool { return p.longTerm || last(p).Before(w.today.AddDate(0, 0, -100)) },
		func(p *personPlan) bool { return p.idx%3 == 0 },
		func(p *personPlan) {
			p.archive = true
			p.notes = append(p.notes, notePlan{w.noteAuthor(p), archiveNote, false})
		})
	for _, p := range w.people {
		if p.archive || p.withdraw == maillon.ConsentDossier {
			// The file is closed: nothing is left to follow up.
			for _, iv := range p.ivs {
				if !iv.followUp.IsZero() {
					iv.followDone = true
				}
			}
		}
	}
}

// ended reports whether an intervention names someone whose file is
// closed at the end of the plan.
func ended(iv *ivPlan) bool {
	for _, p := range iv.persons {
		if p.archive || p.withdraw == maillon.ConsentDossier {
			return true
		}
	}
	return false
}

// ensurePersonInitiative makes sure every person started at least one
// contact: the retention period runs from the last of them.
func (w *world) ensurePersonInitiative() {
	for _, p := range w.people {
		found := false
		for _, iv := range p.ivs {
			found = found || iv.initiative == "personne"
		}
		if !found && len(p.ivs) > 0 {
			p.ivs[len(p.ivs)-1].initiative = "personne"
		}
	}
}

// ensureRecent gives a mediator some activity on each working day of the
// last week, so that the demo account's "my week" is never empty.
func (w *world) ensureRecent(m *member) {
	for k := 7; k >= 1; k-- {
		d := w.today.AddDate(0, 0, -k)
		if !w.works(m.team, d) {
			continue
		}
		n := 0
		for _, s := range w.busy[m] {
			if day(s.from).Equal(d) {
				n++
			}
		}
		for ; n < 2; n++ {
			w.anonAccueilBy(m.team, d, m)
		}
	}
}

// ensureProcedureOutcomes makes sure some accompanied procedures were
// blocked or abandoned: an old procedure left waiting becomes one.
func (w *world) ensureProcedureOutcomes() {
	for _, want := range []string{"bloquee", "abandonnee"} {
		found := false
		var candidate *ivPlan
		for _, iv := range w.ivs {
			for _, pr := range iv.procs {
				found = found || pr.outcome == want
				if candidate == nil && pr.outcome == "attente" && !pr.person.trajectory && day(iv.start).Before(w.today.AddDate(0, 0, -60)) {
					candidate = iv
				}
			}
		}
		if found || candidate == nil {
			continue
		}
		candidate.procs[0].outcome = want
		candidate.outcome = map[string]string{"bloquee": "non_resolu", "abandonnee": "abandonne"}[want]
	}
}
