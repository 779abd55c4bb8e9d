package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"maillon"
)

// Password is the password of every demo account.
const Password = "maillon-demo-2026"

// Scale selects the size of the dataset.
type Scale string

// Scales: small for demonstrations, large for benchmarks.
const (
	Small Scale = "small"
	Large Scale = "large"
)

// Options choose the dataset.
type Options struct {
	Scale Scale
	Seed  uint64
	// People is the number of people of the large scale's network
	// (LargePeople when 0), with about five interventions each; tests
	// load a smaller network.
	People int
}

// Summary counts what was created.
type Summary struct {
	Structures, Teams, Users, Communes, Zones int
	// The activity of the main structure.
	People, Interventions, Procedures, FollowUps, Notes, Orientations int
	Tournees                                                          int
	// Agenda counts the agenda events (appointments, permanences,
	// planned tournées, meetings).
	Agenda int
	// Mediations counts the cases of the main structure and, at the
	// large scale, those imported for the network.
	Mediations int
	// Followed are the people of the large scale followed very closely
	// (about 300 timeline entries each), three per network structure in
	// structure order: the person-page benchmark reads them.
	Followed []maillon.PersonID
	// Activites counts the collective action projects of the main
	// structure.
	Activites int
}

// String names the organisation of the dataset (its format is part of
// the CLI output that tests read).
func (s Summary) String() string {
	return fmt.Sprintf("%d structure(s), %d équipe(s), %d compte(s), %d commune(s), %d quartier(s)",
		s.Structures, s.Teams, s.Users, s.Communes, s.Zones)
}

// Activity names the activity of the dataset.
func (s Summary) Activity() string {
	return fmt.Sprintf("%d personne(s) accompagnée(s), %d intervention(s), %d démarche(s), %d relance(s), %d note(s), %d orientation(s), %d tournée(s), %d médiation(s)",
		s.People, s.Interventions, s.Procedures, s.FollowUps, s.Notes, s.Orientations, s.Tournees, s.Mediations)
}

// ErrNotEmpty is returned when the database already holds a structure.
var ErrNotEmpty = &maillon.Error{Kind: maillon.ErrConflict,
	Message: "La base contient déjà des données : le jeu de démonstration ne se charge que dans une base vide."}

// Load creates the dataset in an empty database.
func Load(ctx context.Context, svc maillon.Services, opt Options) (Summary, error) {
	var sum Summary
	info, err := svc.Instance.Instance(ctx)
	if err != nil {
		return sum, err
	}
	if info.Structures > 0 || info.Users > 0 {
		return sum, ErrNotEmpty
	}
	if opt.Scale == "" {
		opt.Scale = Small
	}
	if opt.Scale != Small && opt.Scale != Large {
		return sum, maillon.Errorf(maillon.ErrInvalid, "Taille inconnue %q : small ou large.", opt.Scale)
	}
	// Claim the dataset first: of several nodes started together with
	// --demo, only one loads it.
	claimed, err := svc.Instance.ClaimDemo(ctx, maillon.OperatorActor())
	if err != nil {
		return sum, err
	}
	if !claimed {
		return sum, ErrNotEmpty
	}
	g := &gen{svc: svc, rnd: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x6d61696c6c6f6e)), sum: &sum}
	op := maillon.OperatorActor()
	if err := g.mainStructure(ctx, op); err != nil {
		return sum, err
	}
	if opt.Scale == Large {
		people := opt.People
		if people <= 0 {
			people = LargePeople
		}
		var nets []*network
		for i := 1; i <= networkStructures; i++ {
			net, err := g.networkStructure(ctx, op, i, networkMediators(people, networkStructures))
			if err != nil {
				return sum, err
			}
			nets = append(nets, net)
		}
		if err := g.bulkActivity(ctx, nets, people, opt.Seed); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

type gen struct {
	svc maillon.Services
	rnd *rand.Rand
	sum *Summary
}

var (
	firstNames = []string{"Amina", "Bastien", "Chloé", "Djibril", "Élodie", "Farid", "Gaëlle", "Hugo", "Inès", "Jonathan",
		"Kenza", "Louis", "Maëlys", "Nordine", "Océane", "Pascal", "Rania", "Samuel", "Tiphaine", "Walid", "Yasmine", "Zoé"}
	lastNames = []string{"Aubert", "Bensaïd", "Carpentier", "Da Silva", "Escoffier", "Fofana", "Girard", "Hamidi", "Ibanez",
		"Joly", "Keita", "Lemaire", "Mansouri", "N'Diaye", "Ollivier", "Perrin", "Rahmani", "Sanchez", "Thibault", "Vasseur"}
)

func (g *gen) mainStructure(ctx context.Context, op maillon.Actor) error {
	st, err := g.svc.Structures.CreateStructure(ctx, op, maillon.StructureInput{
		Name:    "Médiation Sud-Est (démo)",
		SIRET:   "12345678900007",
		Address: maillon.Address{Line: "12 rue des Tilleuls", PostalCode: "69200", City: "Vénissieux"},
		Email:   "contact@demo.maillon.test",
		Phone:   "04 78 00 00 00",
		OfficeHours: [7]string{
			"09:00-12:30, 13:30-18:00", "09:00-12:30, 13:30-18:00", "09:00-12:30, 13:30-18:00",
			"09:00-12:30, 13:30-18:00", "09:00-12:30, 13:30-17:00", "", "",
		},
		Holidays: maillon.HolidaysMetropole,
	})
	if err != nil {
		return fmt.Errorf("demo structure: %w", err)
	}
	g.sum.Structures++
	territory := []struct {
		insee, name string
		zones       [][2]string
	}{
		{"69259", "Vénissieux", [][2]string{{"Les Érables", "QN06991A"}, {"Parilly-Nord", "QN06992B"}, {"Centre-ville", ""}}},
		{"69199", "Saint-Fons", [][2]string{{"La Garenne", "QN06993C"}, {"Le Clos Fleuri", ""}}},
		{"69290", "Saint-Priest", [][2]string{{"Les Vergers", "QN06994D"}, {"Bel-Air", ""}}},
	}
	communes, err := g.territory(ctx, op, st.ID, territory)
	if err != nil {
		return err
	}
	for _, c := range communes {
		c.team = "sfsp"
		if c.name == "Vénissieux" {
			c.team = "ven"
		}
	}
	teams := map[string]maillon.TeamID{}
	for _, t := range []maillon.TeamInput{
		{Name: "Équipe Vénissieux", Description: "Permanences et présence de proximité à Vénissieux"},
		{Name: "Équipe Saint-Fons – Saint-Priest", Description: "Permanences en centre social et aller vers"},
		{Name: "Médiation de soirée", Description: "Présence active en soirée et le week-end"},
	} {
		id, err := g.team(ctx, st.ID, t)
		if err != nil {
			return err
		}
		teams[t.Name] = id
	}
	accounts := []struct {
		key, email, name string
		role             maillon.Role
		team             string
	}{
		{"camille", "admin@demo.maillon.test", "Camille Roux", maillon.RoleAdmin, ""},
		{"nadia", "coordination@demo.maillon.test", "Nadia Benali", maillon.RoleCoordinateur, "Équipe Vénissieux"},
		{"karim", "mediation@demo.maillon.test", "Karim Diallo", maillon.RoleMediateur, "Équipe Vénissieux"},
		{"sophie", "mediation2@demo.maillon.test", "Sophie Martin", maillon.RoleMediateur, "Équipe Vénissieux"},
		{"yacine", "mediation3@demo.maillon.test", "Yacine Haddad", maillon.RoleMediateur, "Équipe Saint-Fons – Saint-Priest"},
		{"lea", "mediation4@demo.maillon.test", "Léa Nguyen", maillon.RoleMediateur, "Équipe Saint-Fons – Saint-Priest"},
		{"moussa", "mediation5@demo.maillon.test", "Moussa Traoré", maillon.RoleMediateur, "Médiation de soirée"},
		// The evening team works in binôme.
		{"ines", "mediation6@demo.maillon.test", "Inès Ferreira", maillon.RoleMediateur, "Médiation de soirée"},
	}
	users := map[string]*maillon.User{}
	for _, a := range accounts {
		u, err := g.user(ctx, op, st.ID, a.email, a.name, a.role, teams[a.team])
		if err != nil {
			return err
		}
		users[a.key] = u
	}
	return g.activity(ctx, st, communes, users)
}

// networkStructures is the number of structures the large scale adds.
const networkStructures = 4

// networkStructure adds another structure of the network (large scale),
// with its territory, teams of about six and accounts.
func (g *gen) networkStructure(ctx context.Context, op maillon.Actor, n, mediators int) (*network, error) {
	st, err := g.svc.Structures.CreateStructure(ctx, op, maillon.StructureInput{
		Name:     fmt.Sprintf("Structure du réseau n° %d (démo)", n),
		Holidays: maillon.HolidaysMetropole,
	})
	if err != nil {
		return nil, err
	}
	g.sum.Structures++
	communes, err := g.territory(ctx, op, st.ID, []struct {
		insee, name string
		zones       [][2]string
	}{{fmt.Sprintf("6938%d", n), fmt.Sprintf("Lyon %de Arrondissement", n),
		[][2]string{{"Quartier Nord", ""}, {"Quartier Sud", ""}, {"Les Terrasses", fmt.Sprintf("QN0693%dA", n)}}}})
	if err != nil {
		return nil, err
	}
	net := &network{st: st, communes: communes, types: map[string]maillon.ProcedureTypeID{}}
	var teamIDs []maillon.TeamID
	for i := 1; i <= max(3, mediators/6); i++ {
		id, err := g.team(ctx, st.ID, maillon.TeamInput{Name: fmt.Sprintf("Équipe %d", i)})
		if err != nil {
			return nil, err
		}
		teamIDs = append(teamIDs, id)
	}
	if _, err := g.user(ctx, op, st.ID, fmt.Sprintf("admin%d@demo.maillon.test", n), g.name(), maillon.RoleAdmin, 0); err != nil {
		return nil, err
	}
	for i := 1; i <= mediators; i++ {
		role := maillon.RoleMediateur
		if i%7 == 0 {
			role = maillon.RoleCoordinateur
		}
		team := teamIDs[g.rnd.IntN(len(teamIDs))]
		u, err := g.user(ctx, op, st.ID, fmt.Sprintf("s%d.m%d@demo.maillon.test", n, i), g.name(), role, team)
		if err != nil {
			return nil, err
		}
		net.members = append(net.members, &member{key: u.Email, user: u, actor: maillon.Actor{UserID: u.ID,
			StructureID: st.ID, TeamID: u.TeamID, Role: u.Role, Channel: maillon.ChannelWeb}})
	}
	// The catalogue of procedures, created on first use.
	types, err := g.svc.Interventions.FindProcedureTypes(ctx, net.members[0].actor, true)
	if err != nil {
		return nil, fmt.Errorf("demo procedure types: %w", err)
	}
	for _, t := range types {
		net.types[t.Organisme+"|"+t.Label] = t.ID
	}
	return net, nil
}

func (g *gen) name() string {
	return firstNames[g.rnd.IntN(len(firstNames))] + " " + lastNames[g.rnd.IntN(len(lastNames))]
}

func (g *gen) territory(ctx context.Context, op maillon.Actor, sid maillon.StructureID, communes []struct {
	insee, name string
	zones       [][2]string
}) ([]*communeRef, error) {
	var out []*communeRef
	for _, c := range communes {
		com, err := g.svc.Structures.AddCommune(ctx, op, sid, maillon.CommuneInput{INSEE: c.insee, Name: c.name})
		if err != nil {
			return nil, fmt.Errorf("demo commune %s: %w", c.insee, err)
		}
		g.sum.Communes++
		ref := &communeRef{id: com.ID, name: c.name}
		for _, z := range c.zones {
			zone, err := g.svc.Structures.AddZone(ctx, op, maillon.ZoneInput{CommuneID: com.ID, Name: z[0], QPVCode: z[1]})
			if err != nil {
				return nil, fmt.Errorf("demo zone %s: %w", z[0], err)
			}
			g.sum.Zones++
			ref.zones = append(ref.zones, &zoneRef{id: zone.ID, name: z[0], qpv: z[1] != "", commune: ref})
		}
		out = append(out, ref)
	}
	return out, nil
}

// team creates a team as the structure's operator.
func (g *gen) team(ctx context.Context, sid maillon.StructureID, in maillon.TeamInput) (maillon.TeamID, error) {
	// Teams belong to the actor's structure: act as the operator scoped to
	// that structure.
	a := maillon.OperatorActor()
	a.StructureID = sid
	t, err := g.svc.Teams.CreateTeam(ctx, a, in)
	if err != nil {
		return 0, fmt.Errorf("demo team %s: %w", in.Name, err)
	}
	g.sum.Teams++
	return t.ID, nil
}

func (g *gen) user(ctx context.Context, op maillon.Actor, sid maillon.StructureID, email, name string, role maillon.Role, team maillon.TeamID) (*maillon.User, error) {
	u, err := g.svc.Users.CreateUser(ctx, op, sid, maillon.UserInput{
		Email: strings.ToLower(email), DisplayName: name, Role: role, TeamID: team, Password: Password,
	})
	if err != nil {
		return nil, fmt.Errorf("demo user %s: %w", email, err)
	}
	g.sum.Users++
	return u, nil
}
