package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"maillon"
)

// The large scale (benchmarks) adds network structures holding two years
// of activity: by default 200,000 people and about a million
// interventions. Records are drawn here, as domain values, from the seeded
// generator only, and handed to the store's bulk import in batches: the
// per-record services would take hours.

// LargePeople is the number of people of the large scale, spread over the
// network structures.
const LargePeople = 200_000

// LargeDirectory is the number of services in the partner directory of
// the large scale's first network structure, at LargePeople.
const LargeDirectory = 100_000

const (
	// ivsPerPerson is the number of interventions per person, anonymous
	// ones included: most people come 1 to 10 times, and a share of the
	// work names nobody (presence, veille technique, anonymous reception).
	ivsPerPerson = 5
	// bulkDays is how far back the activity of the network goes.
	bulkDays = 730
	// heavyPerStructure people per structure are followed very closely
	// (about 300 entries on their timeline), for the person-page
	// benchmark.
	heavyPerStructure = 3
	heavyContacts     = 220
	// Batches handed to the import: one transaction each.
	peopleBatchSize = 5_000
	ivBatchSize     = 10_000
)

// network is a structure of the network and what the bulk activity needs
// of it.
type network struct {
	st       *maillon.Structure
	communes []*communeRef
	members  []*member // mediators and coordinators, with their team
	types    map[string]maillon.ProcedureTypeID
}

// networkMediators is the number of accounts recording activity in each
// network structure: about one per thousand people, at least 20.
func networkMediators(people, structures int) int {
	return max(20, people/structures/1000)
}

// bulkPerson is a person of the bulk activity and the working days (as
// indexes in the calendar) they are met.
type bulkPerson struct {
	plan  *personPlan
	id    maillon.PersonID
	days  []int
	heavy bool
	// sharesFrom is the rank in days of the meeting the "partage"
	// consent was given at; 0 without it.
	sharesFrom int
}

// bulkGen draws the activity of one network structure.
type bulkGen struct {
	*world
	net    *network
	imp    maillon.Importer
	days   []time.Time // working days, Paris midnight, oldest first
	people []*bulkPerson
	zones  []*zoneRef
	now    time.Time
	sum    *Summary
	// named lists each person's imported interventions, in date order:
	// the steps of the bulk mediations.
	named map[maillon.PersonID][]namedRef
}

// bulkActivity draws and imports the activity of the network structures.
func (g *gen) bulkActivity(ctx context.Context, nets []*network, people int, seed uint64) error {
	op := maillon.OperatorActor()
	for i, net := range nets {
		n := people / len(nets)
		if i < people%len(nets) {
			n++
		}
		// One generator per structure: a structure's data do not
		// depend on the size of the others.
		rnd := rand.New(rand.NewPCG(seed, 0x62756c6b+uint64(i)))
		b := newBulkGen(rnd, net, g.svc.Import, g.sum)
		if err := b.importPeople(ctx, op, n); err != nil {
			return err
		}
		if err := b.importInterventions(ctx, op, n*ivsPerPerson); err != nil {
			return err
		}
		if err := b.importOrientations(ctx, op); err != nil {
			return err
		}
		// The agenda follows the mediators, whose number does not
		// change with --people: a reduced network gets the same share
		// of their days as it has of the default people.
		share := float64(n) / float64(LargePeople/len(nets))
		if err := b.importAgenda(ctx, op, share); err != nil {
			return err
		}
		if err := b.importMediations(ctx, op, n/peoplePerMediation); err != nil {
			return err
		}
		// Collective actions.
		if err := b.importActivites(ctx, op, n/peoplePerActivite); err != nil {
			return err
		}
	}
	// The partner directory of the first network structure: LargeDirectory
	// services at the default size (docs/performance.md §11), in
	// proportion to --people below it.
	services := max(100, int(int64(LargeDirectory)*int64(people)/LargePeople))
	ds := DirectoryDataset(services, seed, maillon.InParis(nets[0].st.CreatedAt))
	if _, err := g.svc.Directory.ImportDirectory(ctx, op, nets[0].st.ID, ds, nil); err != nil {
		return fmt.Errorf("large directory: %w", err)
	}
	return g.svc.Import.FinishImport(ctx, op)
}

func newBulkGen(rnd *rand.Rand, net *network, imp maillon.Importer, sum *Summary) *bulkGen {
	w := newWorld(rnd, net.st.CreatedAt, net.st.Holidays)
	w.communes = net.communes
	for _, c := range net.communes {
		c.team = "all"
	}
	// Anyone of the structure may open a file; the team is the one of
	// the mediator who did. drawPerson's teams of the main structure
	// (people without a commune, young people met in the evening) stand
	// for the whole structure too.
	for _, key := range []string{"all", "soir", "ven", "sfsp"} {
		w.teams[key] = net.members
	}
	b := &bulkGen{world: w, net: net, imp: imp, now: net.st.CreatedAt, sum: sum}
	for d := w.today.AddDate(0, 0, -bulkDays); d.Before(w.today); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday && !w.holidays.IsHoliday(d) {
			b.days = append(b.days, d)
		}
	}
	for _, c := range net.communes {
		b.zones = append(b.zones, c.zones...)
	}
	return b
}

// contacts draws how many times a person is met: 1 to 10 times mostly.
func (b *bulkGen) contacts() int {
	switch n := b.rnd.IntN(100); {
	case n < 30:
		return 1
	case n < 48:
		return 2
	case n < 60:
		return 3
	case n < 69:
		return 4
	case n < 76:
		return 5
	case n < 82:
		return 6
	case n < 87:
		return 7
	case n < 91:
		return 8
	case n < 94:
		return 9
	case n < 97:
		return 10
	}
	return b.between(11, 20)
}

// schedule draws the working days a person is met, oldest first.
func (b *bulkGen) schedule(k int, heavy bool) []int {
	gapLo, gapHi := 2, 20
	if heavy {
		gapLo, gapHi = 1, 2
	}
	gaps := make([]int, k)
	span := 0
	for i := 1; i < k; i++ {
		gaps[i] = b.between(gapLo, gapHi)
		span += gaps[i]
	}
	last := len(b.days) - 1
	for span > last {
		// Too long a story for the period: tighten it.
		span = 0
		for i := 1; i < k; i++ {
			gaps[i] = max(1, gaps[i]/2)
			span += gaps[i]
		}
	}
	d := b.rnd.IntN(last - span + 1)
	out := make([]int, k)
	for i := range out {
		d += gaps[i]
		out[i] = d
	}
	return out
}

// pipeline hands the batches produce emits to consume, in order, drawing
// the next batch in a goroutine while the previous one is written: the
// import keeps one core busy, the generator the other.
func pipeline[T any](produce func(emit func(T) error) error, consume func(T) error) error {
	ch := make(chan T, 1)
	done := make(chan struct{})
	var perr error
	go func() {
		defer close(ch)
		perr = produce(func(v T) error {
			select {
			case ch <- v:
				return nil
			case <-done:
				return errStopped
			}
		})
	}()
	var cerr error
	for v := range ch {
		if cerr == nil {
			if cerr = consume(v); cerr != nil {
				close(done)
			}
		}
	}
	if cerr != nil {
		return cerr
	}
	return perr
}

var errStopped = errors.New("demo: import stopped")

// peopleBatch is a batch of people to import and their plans.
type peopleBatch struct {
	files  []maillon.ImportPerson
	owners []*bulkPerson
}

// importPeople draws n people and imports them; it sets their IDs.
func (b *bulkGen) importPeople(ctx context.Context, op maillon.Actor, n int) error {
	return pipeline(func(emit func(peopleBatch) error) error {
		var cur peopleBatch
		for i := 0; i < n; i++ {
			bp, ip, err := b.person(i < heavyPerStructure)
			if err != nil {
				return err
			}
			b.people = append(b.people, bp)
			cur.files = append(cur.files, ip)
			cur.owners = append(cur.owners, bp)
			if len(cur.files) == peopleBatchSize || i == n-1 {
				if err := emit(cur); err != nil {
					return err
				}
				cur = peopleBatch{}
			}
		}
		return nil
	}, func(batch peopleBatch) error {
		if err := b.imp.ImportPeople(ctx, op, batch.files); err != nil {
			return err
		}
		for i := range batch.files {
			batch.owners[i].id = batch.files[i].Person.ID
			if batch.owners[i].heavy {
				b.sum.Followed = append(b.sum.Followed, batch.owners[i].id)
			}
		}
		b.sum.People += len(batch.files)
		return nil
	})
}

// person draws one person of the structure and their file.
func (b *bulkGen) person(heavy bool) (*bulkPerson, maillon.ImportPerson, error) {
	// Homonyms are expected among 200,000 people: names need only differ
	// within one draw.
	clear(b.used)
	p := &personPlan{idx: len(b.people)}
	b.drawPerson(p, b.zones)
	k := b.contacts()
	if heavy {
		k = heavyContacts
	}
	bp := &bulkPerson{plan: p, days: b.schedule(k, heavy), heavy: heavy}
	first := b.days[bp.days[0]]
	last := b.days[bp.days[len(bp.days)-1]]
	in := p.in
	in.ConsentDate = ymd(first)
	birthYear, consentAt, err := in.Validate(true, b.now)
	if err != nil {
		return nil, maillon.ImportPerson{}, fmt.Errorf("demo person %d: %w", p.idx, err)
	}
	entered := first.Add(time.Duration(b.between(9*60, 18*60)) * time.Minute)
	person := maillon.Person{
		StructureID: b.net.st.ID, FirstName: in.FirstName, LastName: in.LastName, Pseudonym: in.Pseudonym,
		BirthYear: birthYear, AgeBand: in.AgeBand, Gender: in.Gender, Phone: in.Phone, Email: in.Email,
		CommuneID: in.CommuneID, ZoneID: in.ZoneID, Languages: in.Languages, InterpreterNeeded: in.InterpreterNeeded,
		AccessNeeds: in.AccessNeeds, AccessText: in.AccessText, Household: in.Household, Housing: in.Housing,
		Activity: in.Activity, Nationality: in.Nationality, ReferentID: in.ReferentID, TeamID: in.TeamID,
		CreatedAt: entered,
	}
	ip := maillon.ImportPerson{Person: person, CreatedBy: p.creator.user.ID}
	ip.Consents = append(ip.Consents, maillon.Consent{Scope: maillon.ConsentDossier, Method: in.ConsentMethod,
		GivenAt: consentAt, RecordedBy: p.creator.user.ID, RecordedAt: entered})
	if len(bp.days) > 1 && b.chance(15) {
		d := b.days[bp.days[1]]
		ip.Consents = append(ip.Consents, maillon.Consent{Scope: "partage", Method: "oral", GivenAt: d,
			RecordedBy: p.creator.user.ID, RecordedAt: d.Add(11 * time.Hour)})
		bp.sharesFrom = 1
	}
	if p.profile {
		ip.Autonomy = append(ip.Autonomy, maillon.Autonomy{AssessedAt: first, Level: p.level,
			Equipment: []string{pick(b.world, []string{"smartphone", "smartphone", "ordinateur", "aucun"})},
			Internet:  b.weighted("oui", 55, "limite", 30, "non", 10, "inconnu", 5),
			HasEmail:  b.weighted("oui", 60, "non", 30, "inconnu", 10), FranceConnect: b.weighted("oui", 40, "non", 45, "inconnu", 15),
			RecordedBy: p.creator.user.ID})
	}
	// A few files closed after the last meeting: consent withdrawn, or the
	// person moved away.
	if end := last.AddDate(0, 0, b.between(7, 60)); end.Before(b.today) && !heavy {
		switch n := b.rnd.IntN(100); {
		case n < 2:
			ip.Consents[0].WithdrawnAt, ip.Consents[0].WithdrawnBy = end.Add(10*time.Hour), p.creator.user.ID
			ip.Person.Archived = true
		case n < 5:
			ip.Person.Archived = true
		}
	}
	return bp, ip, nil
}

// bulkItem is one intervention to draw on a day: a contact with a person
// (its rank in their story), or an anonymous one (person nil).
type bulkItem struct {
	person *bulkPerson
	step   int
}

// importInterventions draws the interventions, day by day, and imports
// them; total counts named and anonymous ones.
func (b *bulkGen) importInterventions(ctx context.Context, op maillon.Actor, total int) error {
	byDay := make([][]bulkItem, len(b.days))
	named := 0
	for _, p := range b.people {
		for i, d := range p.days {
			byDay[d] = append(byDay[d], bulkItem{person: p, step: i})
			named++
		}
	}
	for i := named; i < total; i++ {
		d := b.rnd.IntN(len(b.days))
		byDay[d] = append(byDay[d], bulkItem{})
	}
	return pipeline(func(emit func([]maillon.Intervention) error) error {
		cursor := map[*member]int{}
		var cur []maillon.Intervention
		for d, items := range byDay {
			b.rnd.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
			clear(cursor)
			for _, it := range items {
				cur = append(cur, b.intervention(it, d, cursor))
				if len(cur) == ivBatchSize {
					if err := emit(cur); err != nil {
						return err
					}
					cur = nil
				}
			}
			byDay[d] = nil
		}
		if len(cur) > 0 {
			return emit(cur)
		}
		return nil
	}, func(batch []maillon.Intervention) error {
		if err := b.imp.ImportInterventions(ctx, op, batch); err != nil {
			return err
		}
		for _, iv := range batch {
			b.recordNamed(iv)
			b.sum.Interventions++
			b.sum.Procedures += len(iv.Procedures)
			if !iv.FollowUpOn.IsZero() {
				b.sum.FollowUps++
			}
		}
		return nil
	})
}

// place sets the start of iv on day d when all its mediators are free,
// one intervention after another from the morning on.
func (b *bulkGen) place(iv *maillon.Intervention, d int, ms []*member, cursor map[*member]int) {
	start := 0
	for _, m := range ms {
		c, ok := cursor[m]
		if !ok {
			c = 9*60 + 5*b.rnd.IntN(7)
		}
		start = max(start, c)
	}
	for _, m := range ms {
		cursor[m] = start + iv.Minutes + 5*b.between(1, 4)
	}
	day := b.days[d]
	iv.StartAt = time.Date(day.Year(), day.Month(), day.Day(), start/60, start%60, 0, 0, maillon.Paris)
	for _, m := range ms {
		iv.Mediators = append(iv.Mediators, m.user.ID)
	}
	iv.CreatedBy = ms[0].user.ID
	iv.CreatedAt = iv.EndAt().Add(time.Duration(b.between(5, 90)) * time.Minute)
	if iv.CreatedAt.After(b.now) {
		iv.CreatedAt = b.now
	}
}

// colleague picks another member of m's team, or nil.
func (b *bulkGen) colleague(m *member) *member {
	for try := 0; try < 8; try++ {
		o := pick(b.world, b.net.members)
		if o != m && o.user.TeamID == m.user.TeamID {
			return o
		}
	}
	return nil
}

func (b *bulkGen) intervention(it bulkItem, d int, cursor map[*member]int) maillon.Intervention {
	iv := maillon.Intervention{StructureID: b.net.st.ID, Initiative: "personne", Outcome: "en_attente"}
	if it.person == nil {
		return b.anonymous(iv, d, cursor)
	}
	p := it.person.plan
	iv.Persons = []maillon.PersonRef{{ID: it.person.id}}
	author := b.author(p)
	ms := []*member{author}
	var n *need
	if len(p.needs) > 0 {
		n = p.needs[it.step%len(p.needs)]
	}
	kind := stepFirst
	if it.step > 0 || n == nil {
		kind = []stepKind{stepDo, stepDo, stepDo, stepFollow, stepFollow, stepFollow, stepInform, stepMediate, stepOrient}[b.rnd.IntN(9)]
	}
	if n == nil || (kind == stepDo || kind == stepInform) && n.organisme == "" || kind == stepMediate && len(n.mediate) == 0 {
		kind = stepFollow
	}
	iv.PlaceType = b.weighted("permanence", 62, "telephone", 14, "domicile", 8, "partenaire", 10, "distance", 6)
	var desc string
	switch kind {
	case stepFirst:
		iv.Registre, iv.Registres = "accueil", []string{"acces_droits"}
		iv.Minutes = b.between(4, 9) * 5
		desc = "Premier accueil : explication du rôle de la médiation et de la confidentialité ; la personne accepte l'ouverture d'un dossier."
		if n != nil && len(n.prepare) > 0 {
			desc += " " + pick(b.world, n.prepare)
		}
	case stepDo:
		iv.Registre = "acces_droits"
		iv.Minutes = b.between(6, 18) * 5
		desc = pick(b.world, n.do)
		level := 0
		if b.chance(70) {
			level = max(1, min(3, p.level+b.weightedInt(-1, 15, 0, 70, 1, 15)))
		}
		pr := b.procedure(p, n, level)
		proc := maillon.Procedure{PersonID: it.person.id, Organisme: n.organisme, Label: n.label, Channel: pr.channel,
			Mode: pr.mode, Mandate: pr.mandate, Obstacles: pr.obstacles, Outcome: pr.outcome, AutonomyLevel: level}
		if id, ok := b.net.types[n.organisme+"|"+n.typ]; ok && n.typ != "" {
			proc.TypeID = id
		} else if proc.Label == "" {
			proc.Label = n.typ
		}
		iv.Procedures = append(iv.Procedures, proc)
		switch pr.outcome {
		case "realisee":
			iv.Outcome = b.weighted("resolu", 70, "partiel", 30)
		case "bloquee":
			iv.Outcome = "non_resolu"
		case "abandonnee":
			iv.Outcome = "abandonne"
		}
		if pr.channel == "guichet" {
			iv.PlaceType = "partenaire"
		}
	case stepFollow:
		iv.Registre = "suivi"
		iv.Initiative = b.weighted("mediation", 65, "personne", 35)
		iv.Minutes = b.between(2, 6) * 5
		desc = pick(b.world, genericFollow)
		if n != nil && len(n.follow) > 0 && b.chance(75) {
			desc = pick(b.world, n.follow)
		}
		iv.Outcome = b.weighted("resolu", 60, "partiel", 20, "en_attente", 20)
	case stepInform:
		iv.Registre = "acces_droits"
		iv.Minutes = b.between(4, 9) * 5
		what := n.typ
		if what == "" {
			what = n.label
		}
		desc = fmt.Sprintf(pick(b.world, informTexts), what, n.inst)
		iv.Documents = n.docs
	case stepMediate:
		iv.Registre, iv.Registres = "mediation_institution", []string{"acces_droits"}
		iv.Minutes = b.between(6, 15) * 5
		desc = pick(b.world, n.mediate)
		iv.Outcome = b.weighted("resolu", 40, "partiel", 40, "en_attente", 20)
		if b.chance(30) {
			if o := b.colleague(author); o != nil {
				ms = append(ms, o)
			}
		}
	case stepOrient:
		o := orientations[b.rnd.IntN(len(orientations))]
		iv.Registre, iv.Minutes, desc, iv.Outcome = "orientation", b.between(3, 7)*5, o.text, "oriente"
		iv.Themes, iv.Institutions = slices.Clone(o.themes), o.inst
	}
	if n != nil && kind != stepOrient {
		iv.Themes, iv.Institutions = slices.Clone(n.themes), n.inst
		if len(n.next) > 0 && b.chance(40) {
			iv.NextStep = pick(b.world, n.next)
		}
	}
	switch iv.PlaceType {
	case "domicile":
		iv.Minutes += 15
		iv.CommuneID, iv.ZoneID = p.in.CommuneID, p.in.ZoneID
		if b.chance(60) {
			if o := b.colleague(author); o != nil && len(ms) == 1 {
				ms = append(ms, o)
			}
		}
	case "partenaire":
		iv.PlaceLabel = pick(b.world, hostPlaces)
		iv.CommuneID = p.in.CommuneID
	case "permanence":
		z := pick(b.world, b.zones)
		iv.PlaceLabel, iv.CommuneID, iv.ZoneID = "Permanence – "+z.name, z.commune.id, z.id
	}
	iv.Description = desc
	if kind != stepFollow && b.chance(25) {
		f := b.days[d].AddDate(0, 0, b.between(3, 21))
		iv.FollowUpOn = f
		iv.FollowUpDone = f.Before(b.today) && b.chance(85)
	}
	b.place(&iv, d, ms, cursor)
	return iv
}

// anonymous draws an intervention that names nobody: presence in the
// quartier, veille technique, anonymous reception or a conflict.
func (b *bulkGen) anonymous(iv maillon.Intervention, d int, cursor map[*member]int) maillon.Intervention {
	m := pick(b.world, b.net.members)
	ms := []*member{m}
	z := pick(b.world, b.zones)
	band := func() string { return b.weighted("16_25", 25, "26_44", 35, "45_64", 25, "65_plus", 15) }
	gender := func() string { return b.weighted("femme", 50, "homme", 46, "non_precise", 4) }
	iv.CommuneID, iv.ZoneID = z.commune.id, z.id
	switch b.weighted("presence", 40, "accueil", 40, "veille", 12, "conflit", 8) {
	case "presence":
		t := pick(b.world, tourneeDayTexts)
		iv.Registre, iv.PlaceType, iv.PlaceLabel = "presence", "espace_public", t.label
		iv.Initiative, iv.Outcome = "mediation", "resolu"
		iv.Minutes = b.between(6, 15) * 10
		iv.Description = zoneText(t.text, z.name)
		g1, g2 := gender(), "femme"
		if g1 == "femme" {
			g2 = "homme"
		}
		iv.Anonymous = []maillon.AnonymousCount{{AgeBand: band(), Gender: g1, Count: b.between(1, 8)}}
		if b.chance(70) {
			iv.Anonymous = append(iv.Anonymous, maillon.AnonymousCount{AgeBand: band(), Gender: g2, Count: b.between(1, 6)})
		}
		if o := b.colleague(m); o != nil {
			ms = append(ms, o)
		}
	case "accueil":
		t := accueilTexts[b.rnd.IntN(len(accueilTexts))]
		iv.Registre, iv.PlaceType = "accueil", b.weighted("permanence", 70, "telephone", 30)
		iv.Minutes, iv.Description, iv.Themes = b.between(2, 5)*5, t.text, slices.Clone(t.themes)
		if iv.PlaceType == "telephone" {
			iv.Description = pick(b.world, phoneAccueilTexts)
			iv.Themes = nil
		}
		iv.Outcome = b.weighted("resolu", 70, "oriente", 20, "en_attente", 10)
		iv.Anonymous = []maillon.AnonymousCount{{AgeBand: band(), Gender: gender(), Count: 1}}
	case "veille":
		t := veilleTexts[b.rnd.IntN(len(veilleTexts))]
		iv.Registre, iv.PlaceType, iv.PlaceLabel = "veille_technique", "espace_public", t.label
		iv.Initiative, iv.Minutes, iv.Description, iv.Institutions = "mediation", b.between(2, 4)*5, t.text, t.inst
		iv.Outcome = b.weighted("en_attente", 60, "resolu", 40)
		iv.Themes = []string{"logement"}
	default:
		t := conflitTexts[b.rnd.IntN(len(conflitTexts))]
		iv.Registre, iv.PlaceType, iv.PlaceLabel = "conflit", t.place, t.label
		iv.Minutes, iv.Description = b.between(4, 12)*5, t.text
		iv.Themes = []string{"voisinage"}
		iv.Outcome = b.weighted("resolu", 40, "partiel", 40, "en_attente", 20)
		iv.Anonymous = []maillon.AnonymousCount{{AgeBand: "26_44", Gender: "femme", Count: 1}, {AgeBand: "45_64", Gender: "homme", Count: 1}}
		if o := b.colleague(m); o != nil {
			ms = append(ms, o)
		}
	}
	b.place(&iv, d, ms, cursor)
	return iv
}
