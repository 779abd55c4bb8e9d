package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"maillon"
)

// The activity of the main structure is planned first, in memory and from
// the seeded generator only (plan.go, activity.go), then created through
// the services (create.go). Planning never reads the database: the same
// seed on the same day gives the same dataset.

// member is an account of the main structure that records activity.
type member struct {
	key   string
	user  *maillon.User
	team  string // "ven", "sfsp", "soir"; "" for the coordination
	actor maillon.Actor
}

type communeRef struct {
	id    maillon.CommuneID
	name  string
	team  string
	zones []*zoneRef
}

type zoneRef struct {
	id      maillon.ZoneID
	name    string
	qpv     bool
	commune *communeRef
}

type span struct{ from, to time.Time }

// window is a range of start times within a day, in minutes.
type window struct{ from, to int }

var (
	officeWindows  = []window{{9 * 60, 12*60 + 30}, {13*60 + 30, 17*60 + 45}}
	eveningWindows = []window{{17*60 + 30, 22*60 + 30}}
	youthWindows   = []window{{15 * 60, 20*60 + 30}}
	weekendWindows = []window{{14 * 60, 20 * 60}}
)

// personPlan is a person to create and the story of their accompaniment.
type personPlan struct {
	idx       int
	in        maillon.PersonInput
	id        maillon.PersonID
	female    bool
	age       int
	commune   *communeRef
	zone      *zoneRef
	team      string
	referent  *member
	creator   *member
	firstSeen time.Time
	longTerm  bool // followed since before the six months
	level     int  // usual digital autonomy, 1 to 3
	// trajectory people grow from level 1 to level 3 over the months.
	trajectory bool
	needs      []*need
	steps      int // named interventions wanted
	profile    bool
	partner    *personPlan // the other member of a couple followed together
	follower   bool        // is the partner of someone else
	duplicate  bool
	conflict   bool
	// Filled while planning.
	ivs      []*ivPlan
	consents []consentPlan
	profiles []maillon.AutonomyInput
	notes    []notePlan
	withdraw string // consent scope withdrawn at the end
	archive  bool
	cursor   time.Time // the day the next step is looked for
}

type consentPlan struct {
	scope, method string
	day           time.Time
}

type notePlan struct {
	author  *member
	text    string
	private bool
}

// ivPlan is an intervention to create.
type ivPlan struct {
	id            maillon.InterventionID
	start         time.Time // Paris
	minutes       int
	mediators     []*member
	placeType     string
	commune       *communeRef
	zone          *zoneRef
	label         string
	registre      string
	registres     []string
	themes        []string
	initiative    string
	persons       []*personPlan
	anonymous     []maillon.AnonymousCount
	institutions  string
	commanditaire string
	description   string
	outcome       string
	nextStep      string
	documents     string
	followUp      time.Time
	followDone    bool
	procs         []procPlan
	caseStep      bool // a step of a conflict between named people
}

type procPlan struct {
	person    *personPlan
	need      *need
	channel   string
	mode      string
	mandate   bool
	obstacles []string
	outcome   string
	level     int
}

// world holds the plan of the main structure.
type world struct {
	rnd      *rand.Rand
	today    time.Time // Paris midnight of the store's clock; the activity ends the day before
	from     time.Time // first day of activity
	holidays maillon.HolidayCalendar
	members  map[string]*member
	teams    map[string][]*member // mediators of each team
	coord    *member
	communes []*communeRef
	people   []*personPlan
	ivs      []*ivPlan
	busy     map[*member][]span
	used     map[string]bool // names already given
	loadedAt time.Time       // the store's time when loading started
}

// activityDays is how far back the activity goes.
const activityDays = 182

func newWorld(rnd *rand.Rand, now time.Time, holidays maillon.HolidayCalendar) *world {
	p := maillon.InParis(now)
	today := time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, maillon.Paris)
	return &world{
		rnd: rnd, today: today, from: today.AddDate(0, 0, -activityDays), holidays: holidays,
		members: map[string]*member{}, teams: map[string][]*member{}, busy: map[*member][]span{}, used: map[string]bool{},
	}
}

// ---- small random helpers ----

func (w *world) chance(pct int) bool { return w.rnd.IntN(100) < pct }

func (w *world) between(lo, hi int) int { return lo + w.rnd.IntN(hi-lo+1) }

func pick[T any](w *world, list []T) T { return list[w.rnd.IntN(len(list))] }

// weighted picks a code from "code:weight" pairs.
func (w *world) weighted(pairs ...any) string {
	total := 0
	for i := 1; i < len(pairs); i += 2 {
		total += pairs[i].(int)
	}
	n := w.rnd.IntN(total)
	for i := 0; i < len(pairs); i += 2 {
		n -= pairs[i+1].(int)
		if n < 0 {
			return pairs[i].(string)
		}
	}
	return pairs[0].(string)
}

func day(t time.Time) time.Time {
	p := maillon.InParis(t)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, maillon.Paris)
}

func ymd(t time.Time) string { return maillon.InParis(t).Format("2006-01-02") }

// ---- calendar ----

// works reports whether a team works on day d (any hour).
func (w *world) works(team string, d time.Time) bool {
	wd := d.Weekday()
	if team == "soir" {
		return wd != time.Monday && (wd != time.Sunday || d.Day()%2 == 0)
	}
	return wd != time.Saturday && wd != time.Sunday && !w.holidays.IsHoliday(d)
}

func (w *world) windowsFor(team string, d time.Time, evening bool) []window {
	if team != "soir" {
		return officeWindows
	}
	if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		return weekendWindows
	}
	if evening {
		return eveningWindows
	}
	return youthWindows
}

// slot finds a start time on day d within windows when every mediator is
// free; it never returns a time that ends after now.
func (w *world) slot(d time.Time, windows []window, minutes int, ms []*member) (time.Time, bool) {
	for try := 0; try < 10; try++ {
		win := pick(w, windows)
		last := win.to - minutes
		if last < win.from {
			last = win.from
		}
		m := win.from + 5*w.rnd.IntN((last-win.from)/5+1)
		start := time.Date(d.Year(), d.Month(), d.Day(), m/60, m%60, 0, 0, maillon.Paris)
		end := start.Add(time.Duration(minutes) * time.Minute)
		if end.After(w.today) {
			continue // the activity ends with yesterday evening
		}
		free := true
		for _, mb := range ms {
			for _, s := range w.busy[mb] {
				if start.Before(s.to.Add(10*time.Minute)) && end.After(s.from.Add(-10*time.Minute)) {
					free = false
					break
				}
			}
		}
		if free {
			for _, mb := range ms {
				w.busy[mb] = append(w.busy[mb], span{start, end})
			}
			return start, true
		}
	}
	return time.Time{}, false
}

// book places iv on the first working day of team from d on (up to a
// week later), or reports false.
func (w *world) book(iv *ivPlan, team string, d time.Time) bool {
	for k := 0; k < 7; k++ {
		dd := d.AddDate(0, 0, k)
		if !dd.Before(w.today) {
			return false
		}
		if !w.works(team, dd) {
			continue
		}
		if start, ok := w.slot(dd, w.windowsFor(team, dd, false), iv.minutes, iv.mediators); ok {
			iv.start = start
			w.ivs = append(w.ivs, iv)
			return true
		}
	}
	return false
}

// ---- people ----

func (w *world) newName(o *origin, female bool) (string, string) {
	for {
		first := pick(w, o.men)
		if female {
			first = pick(w, o.women)
		}
		last := pick(w, o.surnames)
		if !w.used[first+" "+last] {
			w.used[first+" "+last] = true
			return first, last
		}
	}
}

func (w *world) pickOrigin() *origin {
	total := 0
	for _, o := range origins {
		total += o.weight
	}
	n := w.rnd.IntN(total)
	for _, o := range origins {
		n -= o.weight
		if n < 0 {
			return o
		}
	}
	return origins[0]
}

func (w *world) teamOf(c *communeRef) string {
	if c == nil {
		return pick(w, []string{"ven", "sfsp"})
	}
	return c.team
}

// phone writes a number of the ranges ARCEP reserves for fiction, in one
// of the ways people give it.
func (w *world) phone(landline bool) string {
	a, b := w.rnd.IntN(100), w.rnd.IntN(100)
	if landline {
		return fmt.Sprintf("04 65 71 %02d %02d", a, b)
	}
	switch w.rnd.IntN(6) {
	case 0:
		return fmt.Sprintf("06.39.98.%02d.%02d", a, b)
	case 1:
		return fmt.Sprintf("+33 6 39 98 %02d %02d", a, b)
	case 2:
		return fmt.Sprintf("063998%02d%02d", a, b)
	}
	return fmt.Sprintf("06 39 98 %02d %02d", a, b)
}

func asciiFold(s string) string {
	s = maillon.FoldText(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '\'':
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

func (w *world) email(first, last string, birthYear int) string {
	f, l := asciiFold(first), asciiFold(last)
	var local string
	switch w.rnd.IntN(4) {
	case 0:
		local = f + "." + l
	case 1:
		local = f[:1] + "." + l
	case 2:
		local = f + l + strconv.Itoa(w.between(1, 99))
	default:
		if birthYear > 0 {
			local = f + "." + l + strconv.Itoa(birthYear%100)
		} else {
			local = l + "." + f
		}
	}
	return strings.ReplaceAll(local, "--", "-") + "@" + pick(w, emailDomains)
}

// planPeople draws n people of the main structure.
func (w *world) planPeople(n int) {
	var zones []*zoneRef
	for _, c := range w.communes {
		for _, z := range c.zones {
			zones = append(zones, z)
			if z.qpv {
				zones = append(zones, z, z) // the QPV are where most people live
			}
		}
	}
	for i := 0; len(w.people) < n; i++ {
		p := &personPlan{idx: len(w.people)}
		w.people = append(w.people, p)
		switch {
		case i < 6:
			p.trajectory = true
		case i >= 10 && i < 16:
			p.in.Pseudonym = pseudonyms[i-10]
		}
		w.drawPerson(p, zones)
		if i >= 6 && i < 10 && len(w.people) < n-1 {
			// A couple followed together.
			q := &personPlan{idx: len(w.people), follower: true}
			w.people = append(w.people, q)
			w.drawPartner(p, q)
		}
	}
	// The last person was entered twice by two mediators: the coordinator
	// will see the duplicate warning and may merge the files.
	last := w.people[len(w.people)-1]
	var twin *personPlan
	for _, p := range w.people[16:] {
		if !p.follower && p.partner == nil && p != last && p.in.LastName != "" && p.commune != nil && p.in.BirthYear != "" {
			twin = p
			break
		}
	}
	if twin != nil {
		last.duplicate = true
		last.in.FirstName, last.in.LastName, last.in.Pseudonym = twin.in.FirstName, twin.in.LastName, ""
		last.in.BirthYear, last.in.AgeBand = "", maillon.AgeBandOf(maillon.InParis(w.today).Year()-twin.age, w.today)
		last.in.Gender, last.female, last.age = twin.in.Gender, twin.female, twin.age
		last.commune, last.zone, last.in.CommuneID, last.in.ZoneID = twin.commune, twin.zone, twin.in.CommuneID, twin.in.ZoneID
		last.in.Email, last.in.Phone = "", twin.in.Phone
		last.in.Household, last.in.Housing, last.in.Activity = twin.in.Household, twin.in.Housing, twin.in.Activity
		last.in.Nationality, last.in.Languages, last.in.InterpreterNeeded = twin.in.Nationality, twin.in.Languages, twin.in.InterpreterNeeded
		last.in.AccessNeeds, last.in.AccessText = nil, ""
		last.level, last.team = twin.level, twin.team
		others := w.teams[twin.team]
		last.creator = others[0]
		if twin.creator == others[0] && len(others) > 1 {
			last.creator = others[1]
		}
		last.referent, last.in.ReferentID = nil, 0
		last.longTerm = false
		last.firstSeen = w.today.AddDate(0, 0, -w.between(8, 20))
		last.needs = w.pickNeeds(last)[:1]
		last.steps, last.profile, last.trajectory = 1, false, false
	}
	w.contactQuotas()
}

// contactQuotas keeps the share of phones near one half and of e-mails
// near one third whatever the seed, adding or removing them in order.
func (w *world) contactQuotas() {
	n := len(w.people)
	count := func(f func(p *personPlan) bool) int {
		k := 0
		for _, p := range w.people {
			if f(p) {
				k++
			}
		}
		return k
	}
	hasMail := func(p *personPlan) bool { return p.in.Email != "" }
	hasPhone := func(p *personPlan) bool { return p.in.Phone != "" }
	for _, p := range w.people {
		switch k := count(hasMail); {
		case k < n*3/10 && !hasMail(p) && p.in.Pseudonym == "" && !p.duplicate && p.age < 70:
			year := 0
			if p.in.BirthYear != "" {
				year = maillon.InParis(w.today).Year() - p.age
			}
			p.in.Email = w.email(p.in.FirstName, p.in.LastName, year)
		case k > n*4/10 && hasMail(p):
			p.in.Email = ""
		}
		switch k := count(hasPhone); {
		case k < n*45/100 && !hasPhone(p):
			p.in.Phone = w.phone(p.age >= 70)
		case k > n*55/100 && hasPhone(p):
			p.in.Phone = ""
		}
	}
}

func (w *world) drawPerson(p *personPlan, zones []*zoneRef) {
	o := w.pickOrigin()
	g := w.weighted("femme", 53, "homme", 42, "non_precise", 4, "autre", 1)
	p.female = g == "femme" || (g != "homme" && w.chance(50))
	if w.chance(95) || p.trajectory {
		p.in.Gender = g
	}
	// Age: the public of a mediation service, adults mostly.
	switch w.weighted("16_25", 14, "26_44", 38, "45_64", 32, "65_plus", 16) {
	case "16_25":
		p.age = w.between(17, 25)
	case "26_44":
		p.age = w.between(26, 44)
	case "45_64":
		p.age = w.between(45, 64)
	default:
		p.age = w.between(65, 88)
	}
	if p.trajectory {
		p.age = w.between(34, 74)
	}
	year := maillon.InParis(w.today).Year() - p.age
	if p.in.Pseudonym == "" {
		p.in.FirstName, p.in.LastName = w.newName(o, p.female)
	}
	if w.chance(72) && p.in.Pseudonym == "" {
		p.in.BirthYear = strconv.Itoa(year)
	} else {
		p.in.AgeBand = maillon.AgeBandOf(year, w.today)
		if w.chance(15) && !p.trajectory {
			p.in.AgeBand = "non_precise"
		}
	}
	// Place: most people live in the territory's quartiers.
	if w.chance(97) {
		z := pick(w, zones)
		p.commune = z.commune
		if w.chance(85) {
			p.zone = z
		}
	}
	if p.commune != nil {
		p.in.CommuneID = p.commune.id
	}
	if p.zone != nil {
		p.in.ZoneID = p.zone.id
	}
	p.team = w.teamOf(p.commune)
	if p.age <= 25 && w.chance(40) && !p.trajectory && p.in.Pseudonym == "" {
		p.team = "soir" // met in the evenings
	}
	mediators := w.teams[p.team]
	p.creator = pick(w, mediators)
	if w.chance(88) || p.trajectory {
		p.referent = p.creator
		if w.chance(25) {
			p.referent = pick(w, mediators)
		}
		p.in.ReferentID = p.referent.user.ID
	}
	if w.chance(95) {
		p.in.TeamID = p.creator.user.TeamID
	}
	// Contact details.
	if p.in.Pseudonym == "" || w.chance(30) {
		if w.chance(50) {
			p.in.Phone = w.phone(p.age >= 70 && w.chance(60))
		}
		mailPct := 42
		if p.age >= 65 {
			mailPct = 12
		}
		if p.in.Pseudonym == "" && w.chance(mailPct) {
			y := 0
			if p.in.BirthYear != "" {
				y = year
			}
			p.in.Email = w.email(p.in.FirstName, p.in.LastName, y)
		}
	}
	// Languages.
	if len(o.languages) > 0 && w.chance(55) {
		p.in.Languages = pick(w, o.languages)
		if !strings.Contains(p.in.Languages, "français") && w.chance(30) {
			p.in.Languages += ", français"
		}
		p.in.InterpreterNeeded = w.chance(o.interpreter * 3 / 2)
	} else if w.chance(4) {
		p.in.Languages = "Anglais"
	}
	if p.in.InterpreterNeeded {
		p.in.Languages = strings.TrimSuffix(p.in.Languages, ", français")
	}
	// Nationality, as Française / UE / hors UE only, and not always.
	switch n := w.rnd.IntN(100); {
	case n < o.fr:
		p.in.Nationality = "francaise"
	case n < o.fr+o.ue:
		p.in.Nationality = "ue"
	case n < o.fr+o.ue+o.horsUE:
		p.in.Nationality = "hors_ue"
	}
	if w.chance(30) {
		p.in.Nationality = ""
	}
	// Accessibility needs.
	if w.chance(7) {
		need := w.weighted("moteur", 3, "visuel", 2, "auditif", 2, "cognitif", 2, "psychique", 1)
		p.in.AccessNeeds = []string{need}
		switch need {
		case "moteur":
			p.in.AccessText = "Se déplace en fauteuil roulant"
		case "visuel":
			p.in.AccessText = "Malvoyance : documents en gros caractères"
		case "auditif":
			p.in.AccessText = "Appareillage auditif ; préfère l'écrit"
		case "cognitif":
			p.in.AccessText = "Besoin de reformulation et d'un récapitulatif écrit"
		}
	}
	// Coarse situation.
	if w.chance(82) || p.trajectory {
		switch {
		case p.age <= 25:
			p.in.Household = w.weighted("seul", 40, "couple", 10, "monoparentale", 10, "autre", 40)
			p.in.Activity = w.weighted("formation", 30, "recherche", 40, "emploi", 30)
		case p.age < 62:
			p.in.Household = w.weighted("seul", 30, "couple", 12, "couple_enfants", 30, "monoparentale", 22, "autre", 6)
			p.in.Activity = w.weighted("emploi", 38, "recherche", 30, "sans_activite", 27, "formation", 5)
		default:
			p.in.Household = w.weighted("seul", 60, "couple", 35, "autre", 5)
			p.in.Activity = w.weighted("retraite", 85, "sans_activite", 15)
		}
		p.in.Housing = w.weighted("social", 48, "prive", 20, "heberge", 12, "hebergement", 6, "proprietaire", 6, "sans_domicile", 3, "autre", 5)
	}
	// Digital autonomy, as usually met.
	p.level = 2
	switch {
	case p.trajectory, p.in.InterpreterNeeded, p.age >= 70 && w.chance(80):
		p.level = 1
	case p.age <= 35 && w.chance(50):
		p.level = 3
	case w.chance(30):
		p.level = 1
	case w.chance(20):
		p.level = 3
	}
	if p.trajectory {
		p.level = 1
	}
	// When the accompaniment started.
	span := int(w.today.Sub(w.from).Hours()/24) - 3
	switch {
	case p.trajectory:
		p.firstSeen = w.from.AddDate(0, 0, w.between(2, 40))
	case w.chance(20):
		p.longTerm = true
		p.firstSeen = w.today.AddDate(0, 0, -w.between(activityDays+10, 600))
	default:
		// New people all along; those followed since before fill the
		// first weeks.
		p.firstSeen = w.from.AddDate(0, 0, 20+int(float64(span-20)*math.Pow(w.rnd.Float64(), 0.75)))
	}
	p.in.ConsentGiven = true
	p.in.ConsentMethod = "oral"
	if w.chance(40) {
		p.in.ConsentMethod = "ecrit"
	}
	// Needs and how long the story is.
	p.needs = w.pickNeeds(p)
	p.steps = []int{2, 2, 3, 4, 4, 5, 5, 6, 7, 8}[w.rnd.IntN(10)]
	if p.trajectory {
		p.steps = 7
	}
	p.profile = p.trajectory || w.chance(35)
}

func (w *world) drawPartner(p, q *personPlan) {
	q.partner = p
	p.partner = q
	p.in.Household = pick(w, []string{"couple", "couple_enfants"})
	q.female = !p.female
	q.in.Gender = "homme"
	if q.female {
		q.in.Gender = "femme"
	}
	q.age = max(18, p.age+w.between(-6, 6))
	year := maillon.InParis(w.today).Year() - q.age
	var o *origin
	for _, oo := range origins {
		if slices.Contains(oo.surnames, p.in.LastName) {
			o = oo
		}
	}
	if o == nil {
		o = origins[0]
	}
	first, _ := w.newName(o, q.female)
	q.in.FirstName, q.in.LastName = first, p.in.LastName
	if p.in.LastName == "" {
		q.in.LastName = pick(w, o.surnames)
	}
	w.used[q.in.FirstName+" "+q.in.LastName] = true
	if w.chance(60) {
		q.in.BirthYear = strconv.Itoa(year)
	} else {
		q.in.AgeBand = maillon.AgeBandOf(year, w.today)
	}
	q.commune, q.zone = p.commune, p.zone
	q.in.CommuneID, q.in.ZoneID = p.in.CommuneID, p.in.ZoneID
	q.team, q.creator, q.referent = p.team, p.creator, p.referent
	q.in.ReferentID, q.in.TeamID = p.in.ReferentID, p.in.TeamID
	q.in.Languages, q.in.Nationality = p.in.Languages, p.in.Nationality
	q.in.Household, q.in.Housing = p.in.Household, p.in.Housing
	q.in.Activity = w.weighted("emploi", 40, "recherche", 30, "sans_activite", 30)
	if q.age >= 62 {
		q.in.Activity = "retraite"
	}
	if w.chance(50) {
		q.in.Phone = w.phone(false)
	}
	q.level = max(1, min(3, p.level+w.between(-1, 1)))
	q.firstSeen, q.longTerm = p.firstSeen, p.longTerm
	q.in.ConsentGiven, q.in.ConsentMethod = true, p.in.ConsentMethod
}

func (w *world) pickNeeds(p *personPlan) []*need {
	var pool []*need
	total := 0
	for _, n := range needs {
		if n.eligible(p) && (!p.trajectory || n.online) {
			pool = append(pool, n)
			total += n.weight
		}
	}
	count := []int{1, 1, 1, 2, 2, 2, 2, 3, 3, 3}[w.rnd.IntN(10)]
	if p.trajectory {
		count = 5
	}
	var out []*need
	for len(out) < count && len(out) < len(pool) {
		k := w.rnd.IntN(total)
		for _, n := range pool {
			k -= n.weight
			if k < 0 {
				if !slices.Contains(out, n) {
					out = append(out, n)
				}
				break
			}
		}
	}
	return out
}

// ---- stories of the people ----

type stepKind int

const (
	stepFirst stepKind = iota
	stepDo
	stepFollow
	stepMediate
	stepOrient
	stepInform // a step towards the procedure, without doing it
)

type step struct {
	kind stepKind
	need *need
}

// storySteps lists what happens to a person, in order.
func (w *world) storySteps(p *personPlan) []step {
	var out []step
	for i, n := range p.needs {
		if i == 0 && !p.longTerm {
			if n.organisme != "" && len(n.prepare) == 0 {
				out = append(out, step{stepFirst, n}, step{stepFollow, n})
				continue
			}
			out = append(out, step{stepFirst, n})
		}
		if len(n.mediate) > 0 && (n.organisme == "" || w.chance(85)) {
			// The relation with the institution is restored first (W2).
			out = append(out, step{stepMediate, n})
		}
		if n.organisme != "" {
			if w.chance(55) {
				out = append(out, step{stepInform, n})
			}
			if w.chance(66) {
				out = append(out, step{stepDo, n})
			} else {
				out = append(out, step{stepInform, n})
			}
		}
		if w.chance(60) {
			out = append(out, step{stepFollow, n})
		}
	}
	if w.chance(40) && len(out) > 0 {
		at := w.between(1, len(out))
		out = slices.Insert(out, at, step{stepOrient, nil})
	}
	if p.trajectory {
		// Several accompanied procedures, spaced out: autonomy grows.
		out = out[:0]
		out = append(out, step{stepFirst, p.needs[0]})
		for i := 0; i < 6; i++ {
			out = append(out, step{stepDo, p.needs[i%len(p.needs)]})
		}
		out = slices.Insert(out, 4, step{stepFollow, p.needs[1%len(p.needs)]})
	}
	if len(out) > p.steps {
		out = out[:p.steps]
	}
	return out
}

// trajectoryLevels are the autonomy levels observed on the procedures of
// the people who become autonomous.
var trajectoryLevels = [][]int{{1, 1, 2, 2, 3, 3}, {1, 2, 2, 3, 3, 3}, {1, 1, 1, 2, 3, 3}}

func (w *world) planStory(p *personPlan) {
	steps := w.storySteps(p)
	d := p.firstSeen
	if p.longTerm {
		d = w.from.AddDate(0, 0, w.between(0, 70))
	}
	levels := trajectoryLevels[p.idx%len(trajectoryLevels)]
	doCount := 0
	for i, s := range steps {
		if i > 0 {
			switch {
			case p.trajectory:
				d = d.AddDate(0, 0, w.between(14, 24))
			case s.kind == stepDo:
				d = d.AddDate(0, 0, w.between(2, 14))
			case s.kind == stepFollow:
				d = d.AddDate(0, 0, w.between(6, 28))
			default:
				d = d.AddDate(0, 0, w.between(3, 21))
			}
		}
		if !d.Before(w.today) {
			break
		}
		level := 0
		if s.kind == stepDo {
			if p.trajectory {
				level = levels[min(doCount, len(levels)-1)]
			} else if w.chance(75) {
				level = max(1, min(3, p.level+w.weightedInt(-1, 15, 0, 70, 1, 15)))
			}
			doCount++
		}
		p.cursor = d
		iv := w.stepIntervention(p, s, level, i == 0 && !p.longTerm)
		if iv == nil && i == 0 && !p.longTerm {
			// Too close to today: the first contact was a little earlier.
			p.cursor = d.AddDate(0, 0, -7)
			iv = w.stepIntervention(p, s, level, true)
		}
		if iv == nil {
			if i == 0 {
				return
			}
			continue
		}
		d = day(iv.start)
		if i == 0 && !p.longTerm {
			p.firstSeen = d
		}
		for _, q := range iv.persons {
			q.ivs = append(q.ivs, iv)
		}
	}
}

func (w *world) weightedInt(pairs ...int) int {
	total := 0
	for i := 1; i < len(pairs); i += 2 {
		total += pairs[i]
	}
	n := w.rnd.IntN(total)
	for i := 0; i < len(pairs); i += 2 {
		n -= pairs[i+1]
		if n < 0 {
			return pairs[i]
		}
	}
	return pairs[0]
}

// author chooses who records a step of p: the referent mostly.
func (w *world) author(p *personPlan) *member {
	if p.referent != nil && w.chance(80) {
		return p.referent
	}
	return pick(w, w.teams[p.team])
}

// partnerOf picks the second mediator of a binôme.
func (w *world) partnerOf(m *member) *member {
	if m.team == "" || w.chance(12) {
		if m != w.coord && w.chance(50) {
			return w.coord
		}
	}
	team := m.team
	if team == "" {
		team = "ven"
	}
	var others []*member
	for _, o := range w.teams[team] {
		if o != m {
			others = append(others, o)
		}
	}
	if len(others) == 0 {
		return nil
	}
	return pick(w, others)
}

func (w *world) mediatorsFor(author *member, binomePct int) []*member {
	ms := []*member{author}
	if w.chance(binomePct) {
		if o := w.partnerOf(author); o != nil && o != author {
			ms = append(ms, o)
		}
	}
	return ms
}

func (w *world) permanence(z *zoneRef, c *communeRef) (string, *communeRef, *zoneRef) {
	if z == nil {
		if c == nil {
			c = w.communes[0]
		}
		z = c.zones[0]
	}
	return permanences[z.name], z.commune, z
}

func mobilityReduced(p *personPlan) bool {
	return slices.Contains(p.in.AccessNeeds, "moteur") || p.age >= 78
}

// stepIntervention plans one named intervention of p's story on or after
// p's current day.
func (w *world) stepIntervention(p *personPlan, s step, level int, first bool) *ivPlan {
	iv := &ivPlan{persons: []*personPlan{p}}
	if p.partner != nil && !p.follower && (first || w.chance(45)) {
		iv.persons = append(iv.persons, p.partner)
	}
	a := w.author(p)
	n := s.need
	place := "permanence"
	var mediateText string
	binome := 10
	switch s.kind {
	case stepFirst:
		iv.registre = "accueil"
		iv.registres = []string{"acces_droits"}
		if w.chance(40) {
			iv.registre, iv.registres = "acces_droits", nil
		}
		iv.initiative = "personne"
		iv.minutes = w.between(4, 9) * 5
		place = w.weighted("permanence", 76, "telephone", 8, "partenaire", 8, "domicile", 8)
		switch {
		case len(n.prepare) == 0 && n.channel == "guichet":
			place = "partenaire" // the procedure is done at the counter
		case len(n.prepare) == 0 && place == "telephone":
			place = "permanence" // the procedure is done together
		}
	case stepDo:
		iv.registre = "acces_droits"
		iv.initiative = w.weighted("personne", 80, "mediation", 20)
		iv.minutes = w.between(6, 18) * 5
		place = w.weighted("permanence", 70, "domicile", 8, "partenaire", 10, "distance", 8, "telephone", 4)
		if n.channel == "guichet" {
			place = "partenaire"
		}
		if place == "telephone" && n.online {
			place = "permanence"
		}
	case stepFollow:
		iv.registre = "suivi"
		iv.initiative = w.weighted("mediation", 65, "personne", 35)
		place = w.weighted("telephone", 58, "permanence", 30, "domicile", 7, "distance", 5)
		iv.minutes = w.between(2, 5) * 5
		if place != "telephone" {
			iv.minutes = w.between(3, 8) * 5
		}
	case stepMediate:
		iv.registre = "mediation_institution"
		iv.initiative = w.weighted("personne", 50, "mediation", 50)
		mediateText = pick(w, n.mediate)
		switch {
		case strings.Contains(mediateText, "au collège"):
			place = "etablissement_scolaire"
		case strings.HasPrefix(mediateText, "Rendez-vous à l'agence"), strings.HasPrefix(mediateText, "Rencontre avec"),
			strings.HasPrefix(mediateText, "Échange avec la conseillère"):
			place = "partenaire"
		default:
			// A call made with the person, at the permanence or
			// on the phone with both.
			place = w.weighted("permanence", 60, "telephone", 40)
		}
		iv.minutes = w.between(6, 15) * 5
		binome = 30
	case stepOrient:
		iv.registre = "orientation"
		iv.initiative = "personne"
		place = w.weighted("permanence", 60, "telephone", 40)
		iv.minutes = w.between(3, 7) * 5
	case stepInform:
		iv.registre = "acces_droits"
		iv.initiative = w.weighted("personne", 85, "mediation", 15)
		place = w.weighted("permanence", 80, "telephone", 12, "domicile", 8)
		iv.minutes = w.between(4, 9) * 5
	}
	if mobilityReduced(p) && place != "telephone" && place != "partenaire" && place != "etablissement_scolaire" && w.chance(70) {
		place = "domicile"
	}
	if p.team == "soir" && place == "domicile" {
		place = "permanence"
	}
	iv.placeType = place
	switch place {
	case "domicile":
		binome = 60
		iv.minutes += 15
		iv.commune, iv.zone = p.commune, p.zone
	case "partenaire":
		binome = max(binome, 30)
		switch {
		case n == nil || n.organisme == "" || (s.kind == stepFirst && (len(n.prepare) > 0 || n.channel != "guichet")):
			iv.label = pick(w, hostPlaces) // a permanence held at a partner's
		case strings.Contains(mediateText, "CAF"):
			iv.label = partnerPlaces["caf"]
		default:
			iv.label = partnerPlaces[n.organisme]
		}
		iv.commune = p.commune
	case "etablissement_scolaire":
		iv.label = "Collège du quartier"
		iv.commune, iv.zone = p.commune, p.zone
	case "telephone", "distance":
		binome = 0
	default:
		iv.label, iv.commune, iv.zone = w.permanence(p.zone, p.commune)
	}
	iv.mediators = w.mediatorsFor(a, binome)

	// Texts.
	var desc strings.Builder
	switch place {
	case "domicile":
		if mobilityReduced(p) {
			desc.WriteString("Visite à domicile à la demande de la personne, qui se déplace difficilement. ")
		} else {
			desc.WriteString("Visite à domicile convenue avec la personne. ")
		}
	case "distance":
		if s.kind == stepFollow {
			desc.WriteString("Point en visio, à la demande de la personne. ")
		} else {
			desc.WriteString("Rendez-vous en visio, la personne étant au travail. ")
		}
	}
	if p.in.InterpreterNeeded && place != "telephone" && w.chance(60) {
		desc.WriteString("Entretien avec un interprète par téléphone. ")
	}
	themes := []string{}
	if n != nil {
		themes = append(themes, n.themes...)
		iv.institutions = n.inst
	}
	switch s.kind {
	case stepFirst:
		how := "à l'oral"
		if p.in.ConsentMethod == "ecrit" {
			how = "par écrit"
		}
		if place == "telephone" {
			how = "à l'oral"
			p.in.ConsentMethod = "oral"
		}
		if w.chance(15) {
			iv.initiative = "partenaire"
			desc.WriteString("Personne orientée par " + pick(w, referrers) + " avec une fiche de liaison. ")
		}
		desc.WriteString("Premier accueil : explication du rôle de la médiation, de la confidentialité et du libre accord ; la personne accepte " + how + " l'ouverture d'un dossier. ")
		if len(n.prepare) > 0 {
			desc.WriteString(pick(w, n.prepare))
			iv.outcome = w.weighted("en_attente", 70, "partiel", 30)
			iv.documents = n.docs
		} else if n.organisme != "" {
			desc.WriteString(pick(w, n.do))
			iv.registre, iv.registres = "acces_droits", []string{"accueil"}
			iv.procs = append(iv.procs, w.procedure(p, n, max(1, p.level)))
		} else {
			desc.WriteString(pick(w, n.mediate))
			iv.registre, iv.registres = "mediation_institution", []string{"accueil"}
			iv.outcome = "en_attente"
		}
	case stepDo:
		desc.WriteString(pick(w, n.do))
		iv.procs = append(iv.procs, w.procedure(p, n, level))
		if w.chance(20) {
			iv.documents = n.docs
		}
	case stepFollow:
		text := pick(w, genericFollow)
		if len(n.follow) > 0 && w.chance(75) {
			text = pick(w, n.follow)
		}
		desc.WriteString(text)
		iv.outcome = w.weighted("resolu", 80, "partiel", 20)
		if strings.Contains(text, "toujours") || strings.Contains(text, "en cours") || strings.Contains(text, "attendu") ||
			strings.Contains(text, "demande une pièce") {
			iv.outcome = "en_attente"
		}
		if w.chance(50) {
			iv.registres = []string{"acces_droits"}
		}
	case stepInform:
		if len(n.prepare) > 0 && w.chance(50) {
			desc.WriteString(pick(w, n.prepare))
		} else {
			what := n.typ
			if what == "" {
				what = n.label
			}
			desc.WriteString(fmt.Sprintf(pick(w, informTexts), what, n.inst))
		}
		iv.documents = n.docs
		iv.outcome = w.weighted("en_attente", 60, "partiel", 40)
	case stepMediate:
		desc.WriteString(mediateText)
		iv.outcome = w.weighted("resolu", 40, "partiel", 40, "en_attente", 20)
		iv.registres = []string{"acces_droits"}
	case stepOrient:
		o := orientations[w.rnd.IntN(len(orientations))]
		desc.WriteString(o.text)
		themes = append(themes[:0], o.themes...)
		iv.institutions = o.inst
		iv.outcome = "oriente"
	}
	if len(iv.procs) > 0 && iv.outcome == "" {
		switch iv.procs[0].outcome {
		case "realisee":
			iv.outcome = w.weighted("resolu", 70, "partiel", 30)
		case "attente":
			iv.outcome = "en_attente"
		case "bloquee":
			iv.outcome = w.weighted("non_resolu", 50, "en_attente", 50)
		default:
			iv.outcome = "abandonne"
		}
		if iv.procs[0].level > 0 && len(iv.procs[0].obstacles) > 0 && slices.Contains(iv.procs[0].obstacles, "competences") {
			themes = append(themes, "numerique")
		}
	}
	if iv.outcome == "" {
		iv.outcome = "en_attente"
	}
	iv.description = strings.TrimSpace(desc.String())
	iv.themes = themes
	if n != nil && len(n.next) > 0 {
		iv.nextStep = pick(w, n.next)
	}
	team := p.team
	if !w.book(iv, team, p.cursor) {
		return nil
	}
	return iv
}

// procedure plans an accompanied procedure at autonomy level (0: not
// observed).
func (w *world) procedure(p *personPlan, n *need, level int) procPlan {
	pr := procPlan{person: p, need: n, level: level}
	pr.channel = n.channel
	if n.online {
		pr.channel = "en_ligne"
		if w.chance(8) {
			pr.channel = "guichet"
		}
	}
	if pr.channel == "" {
		pr.channel = "guichet"
	}
	l := level
	if l == 0 {
		l = p.level
	}
	switch l {
	case 1:
		pr.mode = w.weighted("faire_avec", 55, "faire_pour", 45)
	case 2:
		pr.mode = w.weighted("faire_avec", 75, "seule_guidee", 25)
	default:
		pr.mode = w.weighted("seule_guidee", 70, "faire_avec", 30)
	}
	if pr.channel != "en_ligne" && pr.mode == "seule_guidee" {
		pr.mode = "faire_avec"
	}
	pr.mandate = pr.mode == "faire_pour" && pr.channel == "en_ligne" && w.chance(50)
	// Obstacles met: digital ones first.
	var obs []string
	if pr.channel == "en_ligne" {
		k := []int{0, 1, 1, 2, 2, 3}[w.rnd.IntN(6)]
		if l == 3 {
			k = []int{0, 0, 1}[w.rnd.IntN(3)]
		}
		for i := 0; i < k; i++ {
			o := w.weighted("competences", 30, "identification", 22, "numerisation", 18, "formulaire", 12, "email", 12,
				"equipement", 8, "connexion", 8, "site", 8, "accessibilite", 3, "autre", 2)
			if o == "email" && p.in.Email != "" {
				o = "identification"
			}
			if !slices.Contains(obs, o) {
				obs = append(obs, o)
			}
		}
	} else if w.chance(40) {
		obs = append(obs, w.weighted("formulaire", 40, "delai", 30, "contact", 30))
	}
	if p.in.InterpreterNeeded && w.chance(70) {
		obs = append(obs, "langue")
	}
	if slices.Contains(p.in.AccessNeeds, "visuel") && pr.channel == "en_ligne" {
		obs = append(obs, "accessibilite")
	}
	if n.organisme == "prefecture" {
		for _, o := range []string{"delai", "site", "contact"} {
			if w.chance(35) && !slices.Contains(obs, o) {
				obs = append(obs, o)
			}
		}
	}
	pr.obstacles = obs
	pr.outcome = w.weighted("realisee", 56, "attente", 27, "bloquee", 10, "abandonnee", 7)
	if n.organisme == "prefecture" {
		pr.outcome = w.weighted("realisee", 25, "attente", 50, "bloquee", 25)
	}
	if p.trajectory {
		pr.outcome = w.weighted("realisee", 80, "attente", 20)
	}
	return pr
}
