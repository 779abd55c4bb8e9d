package store_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

func TestCreateStructureIsForOperatorOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		for _, c := range []struct {
			name  string
			actor maillon.Actor
			want  error
		}{
			{"admin of a structure is refused", storetest.Actor(st.Admin), maillon.ErrForbidden},
			{"coordinator is refused", storetest.Actor(st.Coordinator), maillon.ErrForbidden},
			{"mediator is refused", storetest.Actor(st.Mediator), maillon.ErrForbidden},
			{"anonymous is refused", maillon.Actor{}, maillon.ErrForbidden},
			{"operator may", maillon.OperatorActor(), nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := countStructures(t, db)
				got, err := db.CreateStructure(ctx, c.actor, maillon.StructureInput{Name: "Nouvelle structure"})
				after := countStructures(t, db)
				if c.want != nil {
					wantKind(t, err, c.want)
					if got != nil || after != before {
						t.Fatalf("refused create left %d structures (was %d), returned %v", after, before, got)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got.ID == 0 || got.Name != "Nouvelle structure" || after != before+1 {
					t.Fatalf("created %+v, structures %d → %d", got, before, after)
				}
			})
		}
	})
}

func TestCreateStructureAppliesDefaults(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st, err := db.CreateStructure(ctx, maillon.OperatorActor(), maillon.StructureInput{
			Name:    "  Point d'accueil  ",
			Email:   " Contact@Accueil.FR ",
			Address: maillon.Address{Line: "3 rue des Lilas", PostalCode: "69200", City: "Vénissieux"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if st.Name != "Point d'accueil" || st.Email != "contact@accueil.fr" {
			t.Errorf("name %q, email %q: want trimmed name and lower-case e-mail", st.Name, st.Email)
		}
		if st.Holidays != maillon.HolidaysMetropole {
			t.Errorf("Holidays = %q, want %q", st.Holidays, maillon.HolidaysMetropole)
		}
		if st.OfficeHours.Encode() != maillon.DefaultOfficeHours().Encode() {
			t.Errorf("OfficeHours = %q, want the default %q", st.OfficeHours.Encode(), maillon.DefaultOfficeHours().Encode())
		}
		if !st.CreatedAt.Equal(storetest.Start) || !st.UpdatedAt.Equal(storetest.Start) {
			t.Errorf("CreatedAt %v, UpdatedAt %v, want the clock's %v", st.CreatedAt, st.UpdatedAt, storetest.Start)
		}
		got, err := db.FindStructureByID(ctx, maillon.OperatorActor(), st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Address != st.Address || got.Address.String() != "3 rue des Lilas, 69200 Vénissieux" {
			t.Errorf("Address read back = %+v", got.Address)
		}
	})
}

func TestCreateStructureRejectsInvalidFields(t *testing.T) {
	valid := func() maillon.StructureInput {
		return maillon.StructureInput{Name: "Médiation Sud", SIRET: "73282932000074", Email: "contact@sud.fr",
			Phone: "04 78 00 00 00", Address: maillon.Address{PostalCode: "69007"}}
	}
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		for _, c := range []struct {
			name   string
			change func(in *maillon.StructureInput)
			fields []string
		}{
			{"missing name", func(in *maillon.StructureInput) { in.Name = "   " }, []string{"name"}},
			{"name longer than 120 characters", func(in *maillon.StructureInput) { in.Name = strings.Repeat("é", 121) }, []string{"name"}},
			{"name on two lines", func(in *maillon.StructureInput) { in.Name = "Médiation\nSud" }, []string{"name"}},
			{"SIRET of 13 digits", func(in *maillon.StructureInput) { in.SIRET = "7328293200007" }, []string{"siret"}},
			{"SIRET with a letter", func(in *maillon.StructureInput) { in.SIRET = "7328293200007A" }, []string{"siret"}},
			{"SIRET failing the Luhn key", func(in *maillon.StructureInput) { in.SIRET = "73282932000075" }, []string{"siret"}},
			{"postal code of 4 digits", func(in *maillon.StructureInput) { in.Address.PostalCode = "6900" }, []string{"postal_code"}},
			{"postal code with letters", func(in *maillon.StructureInput) { in.Address.PostalCode = "2A004" }, []string{"postal_code"}},
			{"e-mail without domain", func(in *maillon.StructureInput) { in.Email = "contact@" }, []string{"email"}},
			{"e-mail with display name", func(in *maillon.StructureInput) { in.Email = "Contact <contact@sud.fr>" }, []string{"email"}},
			{"phone with letters", func(in *maillon.StructureInput) { in.Phone = "04 78 XX 00 00" }, []string{"phone"}},
			{"phone too short", func(in *maillon.StructureInput) { in.Phone = "12 34" }, []string{"phone"}},
			{"monday hours unreadable", func(in *maillon.StructureInput) { in.OfficeHours[0] = "de 9h à midi" }, []string{"hours_lundi"}},
			{"friday range ending before it starts", func(in *maillon.StructureInput) { in.OfficeHours[4] = "14:00-12:00" }, []string{"hours_vendredi"}},
			{"tuesday ranges overlapping", func(in *maillon.StructureInput) { in.OfficeHours[1] = "09:00-12:00, 11:00-17:00" }, []string{"hours_mardi"}},
			{"sunday hour out of range", func(in *maillon.StructureInput) { in.OfficeHours[6] = "09:00-25:00" }, []string{"hours_dimanche"}},
			{"unknown holiday calendar", func(in *maillon.StructureInput) { in.Holidays = "guyane" }, []string{"holidays"}},
			{"several problems reported together", func(in *maillon.StructureInput) {
				in.Name, in.SIRET, in.Email, in.OfficeHours[2] = "", "123", "x", "midi"
			}, []string{"name", "siret", "email", "hours_mercredi"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := valid()
				c.change(&in)
				before := countStructures(t, db)
				_, err := db.CreateStructure(ctx, maillon.OperatorActor(), in)
				wantFields(t, err, maillon.ErrInvalid, c.fields...)
				if after := countStructures(t, db); after != before {
					t.Fatalf("invalid input created a structure (%d → %d)", before, after)
				}
			})
		}
		// Ensure the base input of the table is itself valid, so that each
		// case fails for its own reason only.
		if _, err := db.CreateStructure(ctx, maillon.OperatorActor(), valid()); err != nil {
			t.Fatalf("base input refused: %v", err)
		}
	})
}

func TestCreateStructureChecksSIRET(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		for _, c := range []struct {
			name, siret string
			want        string // stored value; "" with ok=false means refused
			ok          bool
		}{
			{"valid SIRET", "73282932000074", "73282932000074", true},
			{"valid SIRET written with spaces", " 732 829 320 00074 ", "73282932000074", true},
			{"empty SIRET is optional", "", "", true},
			{"last digit off by one", "73282932000073", "", false},
			{"two digits swapped", "73282932000047", "", false},
			{"all zeros but one", "00000000000001", "", false},
			{"La Poste establishment, digit sum a multiple of 5", "35600000000010", "35600000000010", true},
			{"La Poste establishment, digit sum not a multiple of 5", "35600000000011", "", false},
			{"La Poste head office, valid by the Luhn key", "356 000 000 00048", "35600000000048", true},
		} {
			t.Run(c.name, func(t *testing.T) {
				st, err := db.CreateStructure(ctx, maillon.OperatorActor(), maillon.StructureInput{Name: "SIRET " + c.name, SIRET: c.siret})
				if !c.ok {
					wantFields(t, err, maillon.ErrInvalid, "siret")
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				got, err := db.FindStructureByID(ctx, maillon.OperatorActor(), st.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.SIRET != c.want {
					t.Fatalf("stored SIRET %q, want %q", got.SIRET, c.want)
				}
			})
		}
	})
}

func TestFindStructures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		b := storetest.MustCreateStructure(t, db, "Bravo")
		a := storetest.MustCreateStructure(t, db, "Alpha")
		list, err := db.FindStructures(ctx, maillon.OperatorActor())
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID {
			t.Fatalf("FindStructures = %+v, want Alpha then Bravo", list)
		}
		_, err = db.FindStructures(ctx, storetest.Actor(a.Admin))
		wantKind(t, err, maillon.ErrForbidden)

		if _, err := db.FindStructureByID(ctx, storetest.Actor(a.Mediator), a.ID); err != nil {
			t.Errorf("a mediator cannot read their own structure: %v", err)
		}
		_, err = db.FindStructureByID(ctx, storetest.Actor(a.Admin), b.ID)
		wantKind(t, err, maillon.ErrNotFound)
		_, err = db.FindStructureByID(ctx, maillon.Actor{}, a.ID)
		wantKind(t, err, maillon.ErrUnauthenticated)
		_, err = db.FindStructureByID(ctx, maillon.OperatorActor(), 999999)
		wantKind(t, err, maillon.ErrNotFound)
	})
}

func TestUpdateStructureIsForItsAdmins(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Est")
		other := storetest.MustCreateStructure(t, db, "Médiation Ouest")
		for _, c := range []struct {
			name  string
			actor maillon.Actor
			want  error
		}{
			{"coordinator is refused", storetest.Actor(st.Coordinator), maillon.ErrForbidden},
			{"mediator is refused", storetest.Actor(st.Mediator), maillon.ErrForbidden},
			{"admin of another structure does not see it", storetest.Actor(other.Admin), maillon.ErrNotFound},
			{"coordinator of another structure does not see it", storetest.Actor(other.Coordinator), maillon.ErrNotFound},
			{"anonymous must log in", maillon.Actor{}, maillon.ErrUnauthenticated},
			{"admin may", storetest.Actor(st.Admin), nil},
			{"operator may", maillon.OperatorActor(), nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				name := "Renommée par " + c.name
				err := db.UpdateStructure(ctx, c.actor, st.ID, maillon.StructureInput{Name: name})
				got, ferr := db.FindStructureByID(ctx, maillon.OperatorActor(), st.ID)
				if ferr != nil {
					t.Fatal(ferr)
				}
				if c.want != nil {
					wantKind(t, err, c.want)
					if got.Name == name {
						t.Fatal("refused update changed the name")
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got.Name != name {
					t.Fatalf("Name = %q, want %q", got.Name, name)
				}
			})
		}
	})
}

// Ensure the audit entry of a structure update names the changed fields and
// nothing else: never their values, never unchanged fields.
func TestUpdateStructureAuditsChangedFieldNamesOnly(t *testing.T) {
	base := maillon.StructureInput{
		Name:        "Médiation Centre",
		SIRET:       "73282932000074",
		Address:     maillon.Address{Line: "1 place Bellecour", PostalCode: "69002", City: "Lyon"},
		Email:       "centre@mediation.fr",
		Phone:       "04 78 00 00 00",
		OfficeHours: [7]string{"09:00-17:00", "09:00-17:00", "09:00-17:00", "09:00-17:00", "09:00-17:00"},
		Holidays:    maillon.HolidaysMetropole,
	}
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		for _, c := range []struct {
			name   string
			change func(in *maillon.StructureInput)
			fields []string // nil: no entry expected
		}{
			{"nothing changed writes no entry", func(in *maillon.StructureInput) {}, nil},
			{"only spacing changed writes no entry", func(in *maillon.StructureInput) { in.Name = "  " + in.Name + " "; in.Email = "CENTRE@mediation.fr" }, nil},
			{"name", func(in *maillon.StructureInput) { in.Name = "Médiation Presqu'île" }, []string{"name"}},
			{"SIRET", func(in *maillon.StructureInput) { in.SIRET = "" }, []string{"siret"}},
			{"city is part of the address", func(in *maillon.StructureInput) { in.Address.City = "Lyon 2e" }, []string{"address"}},
			{"e-mail and phone", func(in *maillon.StructureInput) { in.Email = "accueil@mediation.fr"; in.Phone = "0612345678" }, []string{"email", "phone"}},
			{"office hours", func(in *maillon.StructureInput) { in.OfficeHours[5] = "10:00-12:00" }, []string{"office_hours"}},
			{"same hours written differently is no change", func(in *maillon.StructureInput) { in.OfficeHours[0] = "9h-17h" }, nil},
			{"holiday calendar", func(in *maillon.StructureInput) { in.Holidays = maillon.HolidaysAlsaceMoselle }, []string{"holidays"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				st, err := db.CreateStructure(ctx, maillon.OperatorActor(), base)
				if err != nil {
					t.Fatal(err)
				}
				admin := storetest.MustCreateUser(t, db, st.ID, maillon.RoleAdmin)
				in := base
				c.change(&in)
				db.Clock.Advance(time.Minute)
				if err := db.UpdateStructure(ctx, storetest.Actor(admin), st.ID, in); err != nil {
					t.Fatal(err)
				}
				entries := auditEntries(t, db, storetest.Actor(admin), maillon.AuditFilter{Action: maillon.AuditStructureUpdate})
				if c.fields == nil {
					if len(entries) != 0 {
						t.Fatalf("unchanged structure audited: %+v", entries)
					}
					got, err := db.FindStructureByID(ctx, storetest.Actor(admin), st.ID)
					if err != nil {
						t.Fatal(err)
					}
					if !got.UpdatedAt.Equal(st.UpdatedAt) {
						t.Errorf("UpdatedAt moved from %v to %v without a change", st.UpdatedAt, got.UpdatedAt)
					}
					return
				}
				if len(entries) != 1 {
					t.Fatalf("got %d structure.update entries, want 1", len(entries))
				}
				e := entries[0]
				if !slices.Equal(e.Fields, c.fields) {
					t.Errorf("Fields = %q, want %q", e.Fields, c.fields)
				}
				if e.RecordType != "structure" || e.RecordID != int64(st.ID) || e.ActorID != admin.ID || e.StructureID != st.ID {
					t.Errorf("entry = %+v", e)
				}
			})
		}
	})
}

func TestOfficeHoursRoundTrip(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Horaires")
		admin := storetest.Actor(st.Admin)
		for _, c := range []struct {
			name string
			in   [7]string
			want [7]string // as Day(d) formats them
		}{
			{"two ranges on weekdays, closed at weekends",
				[7]string{"9h-12h30, 13h30-17h30", "9h-12h30, 13h30-17h30", "9h-12h30", "9h-12h30, 13h30-17h30", "9h-12h30, 13h30-17h30"},
				[7]string{"09:00-12:30, 13:30-17:30", "09:00-12:30, 13:30-17:30", "09:00-12:30", "09:00-12:30, 13:30-17:30", "09:00-12:30, 13:30-17:30"}},
			{"evening and weekend work",
				[7]string{"", "", "", "", "16:00-22:00", "10:00-18:00", "10:00-13:00"},
				[7]string{"", "", "", "", "16:00-22:00", "10:00-18:00", "10:00-13:00"}},
			{"whole day and written closures",
				[7]string{"00:00-24:00", "fermé", "Fermé", "ferme", "8-12, 14-18", "", ""},
				[7]string{"00:00-24:00", "", "", "", "08:00-12:00, 14:00-18:00", "", ""}},
			{"closed all week",
				[7]string{},
				[7]string{}},
		} {
			t.Run(c.name, func(t *testing.T) {
				if err := db.UpdateStructure(ctx, admin, st.ID, maillon.StructureInput{Name: "Horaires", OfficeHours: c.in}); err != nil {
					t.Fatal(err)
				}
				got, err := db.FindStructureByID(ctx, admin, st.ID)
				if err != nil {
					t.Fatal(err)
				}
				for d := range 7 {
					if got.OfficeHours.Day(d) != c.want[d] {
						t.Errorf("%s: %q, want %q", maillon.WeekdayNames[d], got.OfficeHours.Day(d), c.want[d])
					}
				}
			})
		}
	})
}

func TestAddCommune(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Territoire")
		other := storetest.MustCreateStructure(t, db, "Voisine")
		admin := storetest.Actor(st.Admin)
		for _, c := range []struct {
			name      string
			actor     maillon.Actor
			sid       maillon.StructureID
			in        maillon.CommuneInput
			wantINSEE string
			wantKind  error
			fields    []string
		}{
			{"commune by its INSEE code", admin, st.ID, maillon.CommuneInput{INSEE: "69259", Name: "Vénissieux"}, "69259", nil, nil},
			{"Corsican code is upper-cased", admin, st.ID, maillon.CommuneInput{INSEE: " 2a004 ", Name: "Ajaccio"}, "2A004", nil, nil},
			{"same code in another structure is allowed", storetest.Actor(other.Admin), other.ID, maillon.CommuneInput{INSEE: "69259", Name: "Vénissieux"}, "69259", nil, nil},
			{"duplicate code conflicts", admin, st.ID, maillon.CommuneInput{INSEE: "69259", Name: "Vénissieux bis"}, "", maillon.ErrConflict, []string{"insee"}},
			{"duplicate code written differently conflicts", admin, st.ID, maillon.CommuneInput{INSEE: "2A004 ", Name: "Ajaccio"}, "", maillon.ErrConflict, []string{"insee"}},
			{"missing code", admin, st.ID, maillon.CommuneInput{Name: "Lyon"}, "", maillon.ErrInvalid, []string{"insee"}},
			{"code of 4 digits", admin, st.ID, maillon.CommuneInput{INSEE: "6925", Name: "Lyon"}, "", maillon.ErrInvalid, []string{"insee"}},
			{"code with a space", admin, st.ID, maillon.CommuneInput{INSEE: "69 123", Name: "Lyon"}, "", maillon.ErrInvalid, []string{"insee"}},
			{"code with letters outside Corsica", admin, st.ID, maillon.CommuneInput{INSEE: "2C004", Name: "Nulle part"}, "", maillon.ErrInvalid, []string{"insee"}},
			{"missing name", admin, st.ID, maillon.CommuneInput{INSEE: "69123"}, "", maillon.ErrInvalid, []string{"commune_name"}},
			{"coordinator is refused", storetest.Actor(st.Coordinator), st.ID, maillon.CommuneInput{INSEE: "69123", Name: "Lyon"}, "", maillon.ErrForbidden, nil},
			{"mediator is refused", storetest.Actor(st.Mediator), st.ID, maillon.CommuneInput{INSEE: "69123", Name: "Lyon"}, "", maillon.ErrForbidden, nil},
			{"admin of another structure does not see it", storetest.Actor(other.Admin), st.ID, maillon.CommuneInput{INSEE: "69123", Name: "Lyon"}, "", maillon.ErrNotFound, nil},
			{"anonymous must log in", maillon.Actor{}, st.ID, maillon.CommuneInput{INSEE: "69123", Name: "Lyon"}, "", maillon.ErrUnauthenticated, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				sid := c.sid
				before := territory(t, db, sid)
				got, err := db.AddCommune(ctx, c.actor, sid, c.in)
				if c.wantKind != nil {
					if c.fields != nil {
						wantFields(t, err, c.wantKind, c.fields...)
					} else {
						wantKind(t, err, c.wantKind)
					}
					if after := territory(t, db, sid); len(after.Communes) != len(before.Communes) {
						t.Fatalf("refused add changed the territory: %d → %d communes", len(before.Communes), len(after.Communes))
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got.INSEE != c.wantINSEE || got.StructureID != sid || got.ID == 0 {
					t.Fatalf("AddCommune = %+v, want INSEE %q in structure %d", got, c.wantINSEE, sid)
				}
				if !slices.ContainsFunc(territory(t, db, sid).Communes, func(cm maillon.Commune) bool { return cm.ID == got.ID && cm.INSEE == c.wantINSEE }) {
					t.Fatalf("commune %+v missing from the territory", got)
				}
			})
		}
		terr, err := db.FindTerritory(ctx, storetest.Actor(st.Mediator), st.ID)
		if err != nil {
			t.Fatalf("a mediator cannot read the territory: %v", err)
		}
		if names := communeNames(terr); !slices.Equal(names, []string{"Ajaccio", "Vénissieux"}) {
			t.Errorf("communes = %q, want them sorted by name", names)
		}
		entries := auditEntries(t, db, admin, maillon.AuditFilter{Action: maillon.AuditTerritoryChange})
		if len(entries) != 2 || entries[0].RecordType != "commune" || !slices.Equal(entries[0].Fields, []string{"added"}) {
			t.Errorf("territory audit = %+v, want 2 commune additions", entries)
		}
	})
}

func TestAddZone(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Quartiers")
		other := storetest.MustCreateStructure(t, db, "Ailleurs")
		admin := storetest.Actor(st.Admin)
		ven := mustAddCommune(t, db, admin, st.ID, "69259", "Vénissieux")
		lyon := mustAddCommune(t, db, admin, st.ID, "69123", "Lyon")
		foreign := mustAddCommune(t, db, storetest.Actor(other.Admin), other.ID, "69266", "Villeurbanne")
		for _, c := range []struct {
			name     string
			actor    maillon.Actor
			in       maillon.ZoneInput
			wantQPV  string
			wantKind error
			fields   []string
		}{
			{"QPV with its 2024 code", admin, maillon.ZoneInput{CommuneID: ven.ID, Name: "Les Minguettes", QPVCode: "QN06920M"}, "QN06920M", nil, nil},
			{"QPV code is upper-cased", admin, maillon.ZoneInput{CommuneID: ven.ID, Name: "Max Barel", QPVCode: " qp069036 "}, "QP069036", nil, nil},
			{"plain quartier without code", admin, maillon.ZoneInput{CommuneID: ven.ID, Name: "Centre"}, "", nil, nil},
			{"same name in another commune", admin, maillon.ZoneInput{CommuneID: lyon.ID, Name: "Centre"}, "", nil, nil},
			{"duplicate name in the commune conflicts", admin, maillon.ZoneInput{CommuneID: ven.ID, Name: " Centre "}, "", maillon.ErrConflict, []string{"zone_name"}},
			{"QPV code too short", admin, maillon.ZoneInput{CommuneID: ven.ID, Name: "Parilly", QPVCode: "QN06920"}, "", maillon.ErrInvalid, []string{"qpv_code"}},
			{"QPV code with a wrong prefix", admin, maillon.ZoneInput{CommuneID: ven.ID, Name: "Parilly", QPVCode: "QX06920M"}, "", maillon.ErrInvalid, []string{"qpv_code"}},
			{"QPV code with punctuation", admin, maillon.ZoneInput{CommuneID: ven.ID, Name: "Parilly", QPVCode: "QN069-0M"}, "", maillon.ErrInvalid, []string{"qpv_code"}},
			{"missing name", admin, maillon.ZoneInput{CommuneID: ven.ID, QPVCode: "QN06920A"}, "", maillon.ErrInvalid, []string{"zone_name"}},
			{"missing commune", admin, maillon.ZoneInput{Name: "Parilly"}, "", maillon.ErrInvalid, []string{"commune_id"}},
			{"unknown commune", admin, maillon.ZoneInput{CommuneID: 999999, Name: "Parilly"}, "", maillon.ErrInvalid, []string{"commune_id"}},
			{"commune of another structure", admin, maillon.ZoneInput{CommuneID: foreign.ID, Name: "Gratte-Ciel"}, "", maillon.ErrInvalid, []string{"commune_id"}},
			{"admin of another structure cannot add to ours", storetest.Actor(other.Admin), maillon.ZoneInput{CommuneID: ven.ID, Name: "Intrus"}, "", maillon.ErrInvalid, []string{"commune_id"}},
			{"coordinator is refused", storetest.Actor(st.Coordinator), maillon.ZoneInput{CommuneID: ven.ID, Name: "Parilly"}, "", maillon.ErrForbidden, nil},
			{"mediator is refused", storetest.Actor(st.Mediator), maillon.ZoneInput{CommuneID: ven.ID, Name: "Parilly"}, "", maillon.ErrForbidden, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := territory(t, db, st.ID).ZoneCount() + territory(t, db, other.ID).ZoneCount()
				z, err := db.AddZone(ctx, c.actor, c.in)
				after := territory(t, db, st.ID).ZoneCount() + territory(t, db, other.ID).ZoneCount()
				if c.wantKind != nil {
					if c.fields != nil {
						wantFields(t, err, c.wantKind, c.fields...)
					} else {
						wantKind(t, err, c.wantKind)
					}
					if after != before {
						t.Fatalf("refused add changed the zone count %d → %d", before, after)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if z.QPVCode != c.wantQPV || z.IsQPV() != (c.wantQPV != "") || z.CommuneID != c.in.CommuneID || after != before+1 {
					t.Fatalf("AddZone = %+v, want QPV %q in commune %d", z, c.wantQPV, c.in.CommuneID)
				}
			})
		}
		terr := territory(t, db, st.ID)
		for _, cm := range terr.Communes {
			var names []string
			for _, z := range cm.Zones {
				names = append(names, z.Name)
			}
			want := map[string][]string{"Lyon": {"Centre"}, "Vénissieux": {"Centre", "Les Minguettes", "Max Barel"}}[cm.Name]
			if !slices.Equal(names, want) {
				t.Errorf("zones of %s = %q, want %q", cm.Name, names, want)
			}
		}
		if n := territory(t, db, other.ID).ZoneCount(); n != 0 {
			t.Errorf("the other structure got %d zones", n)
		}
	})
}

func TestDeleteCommuneRemovesItsZones(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Suppression")
		admin := storetest.Actor(st.Admin)
		ven := mustAddCommune(t, db, admin, st.ID, "69259", "Vénissieux")
		lyon := mustAddCommune(t, db, admin, st.ID, "69123", "Lyon")
		z1 := mustAddZone(t, db, admin, ven.ID, "Les Minguettes", "QN06920M")
		mustAddZone(t, db, admin, ven.ID, "Centre", "")
		kept := mustAddZone(t, db, admin, lyon.ID, "La Duchère", "QN06907M")

		if err := db.DeleteCommune(ctx, admin, ven.ID); err != nil {
			t.Fatal(err)
		}
		terr := territory(t, db, st.ID)
		if len(terr.Communes) != 1 || terr.Communes[0].ID != lyon.ID || terr.ZoneCount() != 1 || terr.Communes[0].Zones[0].ID != kept.ID {
			t.Fatalf("territory after delete = %+v, want Lyon with La Duchère only", terr)
		}
		n, err := db.CountForTest(ctx, "select count(*) from zones where commune_id = ?", int64(ven.ID))
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("%d zones of the deleted commune remain", n)
		}
		wantKind(t, db.DeleteZone(ctx, admin, z1.ID), maillon.ErrNotFound)
		wantKind(t, db.DeleteCommune(ctx, admin, ven.ID), maillon.ErrNotFound)
		// The INSEE code is free again.
		if _, err := db.AddCommune(ctx, admin, st.ID, maillon.CommuneInput{INSEE: "69259", Name: "Vénissieux"}); err != nil {
			t.Fatalf("re-adding a deleted commune: %v", err)
		}
		if err := db.DeleteZone(ctx, admin, kept.ID); err != nil {
			t.Fatal(err)
		}
		if n := territory(t, db, st.ID).ZoneCount(); n != 0 {
			t.Fatalf("ZoneCount after DeleteZone = %d", n)
		}
		entries := auditEntries(t, db, admin, maillon.AuditFilter{Action: maillon.AuditTerritoryChange})
		if e := entries[0]; e.RecordType != "zone" || e.RecordID != int64(kept.ID) || !slices.Equal(e.Fields, []string{"deleted"}) {
			t.Errorf("newest territory entry = %+v, want the zone deletion", e)
		}
	})
}

func TestTerritoryIsIsolatedByStructure(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Mienne")
		other := storetest.MustCreateStructure(t, db, "Autre")
		admin := storetest.Actor(st.Admin)
		cm := mustAddCommune(t, db, admin, st.ID, "69259", "Vénissieux")
		z := mustAddZone(t, db, admin, cm.ID, "Les Minguettes", "QN06920M")
		for _, c := range []struct {
			name string
			do   func() error
			want error
		}{
			{"other admin deleting our commune", func() error { return db.DeleteCommune(ctx, storetest.Actor(other.Admin), cm.ID) }, maillon.ErrNotFound},
			{"other admin deleting our zone", func() error { return db.DeleteZone(ctx, storetest.Actor(other.Admin), z.ID) }, maillon.ErrNotFound},
			{"other admin reading our territory", func() error {
				_, err := db.FindTerritory(ctx, storetest.Actor(other.Admin), st.ID)
				return err
			}, maillon.ErrNotFound},
			{"our coordinator deleting a commune", func() error { return db.DeleteCommune(ctx, storetest.Actor(st.Coordinator), cm.ID) }, maillon.ErrForbidden},
			{"our mediator deleting a zone", func() error { return db.DeleteZone(ctx, storetest.Actor(st.Mediator), z.ID) }, maillon.ErrForbidden},
			{"anonymous deleting a commune", func() error { return db.DeleteCommune(ctx, maillon.Actor{}, cm.ID) }, maillon.ErrUnauthenticated},
			{"unknown commune", func() error { return db.DeleteCommune(ctx, admin, 999999) }, maillon.ErrNotFound},
		} {
			t.Run(c.name, func(t *testing.T) {
				wantKind(t, c.do(), c.want)
				terr := territory(t, db, st.ID)
				if len(terr.Communes) != 1 || terr.ZoneCount() != 1 {
					t.Fatalf("territory changed: %+v", terr)
				}
			})
		}
	})
}

// Helpers shared by the store tests of this package.

// wantKind fails unless err is a *maillon.Error of the given kind with a
// message for users, and returns it.
func wantKind(t *testing.T, err, kind error) *maillon.Error {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error = %v, want kind %q", err, kind)
	}
	var e *maillon.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *maillon.Error", err, err)
	}
	if e.Message == "" {
		t.Fatalf("error of kind %q has no message", kind)
	}
	return e
}

// wantFields fails unless err is a *maillon.Error of the given kind whose
// per-field messages are exactly for fields, each with a message.
func wantFields(t *testing.T, err, kind error, fields ...string) {
	t.Helper()
	e := wantKind(t, err, kind)
	got := slices.Sorted(maps.Keys(e.Fields))
	want := slices.Sorted(slices.Values(fields))
	if !slices.Equal(got, want) {
		t.Fatalf("error fields = %q, want %q (%v)", got, want, err)
	}
	for k, msg := range e.Fields {
		if msg == "" {
			t.Fatalf("field %q has an empty message", k)
		}
	}
}

func countStructures(t *testing.T, db *storetest.DB) int {
	t.Helper()
	list, err := db.FindStructures(ctx, maillon.OperatorActor())
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func territory(t *testing.T, db *storetest.DB, sid maillon.StructureID) maillon.Territory {
	t.Helper()
	terr, err := db.FindTerritory(ctx, maillon.OperatorActor(), sid)
	if err != nil {
		t.Fatal(err)
	}
	return terr
}

func communeNames(terr maillon.Territory) []string {
	var out []string
	for _, c := range terr.Communes {
		out = append(out, c.Name)
	}
	return out
}

func mustAddCommune(t *testing.T, db *storetest.DB, actor maillon.Actor, sid maillon.StructureID, insee, name string) *maillon.Commune {
	t.Helper()
	c, err := db.AddCommune(ctx, actor, sid, maillon.CommuneInput{INSEE: insee, Name: name})
	if err != nil {
		t.Fatalf("add commune %s: %v", insee, err)
	}
	return c
}

func mustAddZone(t *testing.T, db *storetest.DB, actor maillon.Actor, cid maillon.CommuneID, name, qpv string) *maillon.Zone {
	t.Helper()
	z, err := db.AddZone(ctx, actor, maillon.ZoneInput{CommuneID: cid, Name: name, QPVCode: qpv})
	if err != nil {
		t.Fatalf("add zone %s: %v", name, err)
	}
	return z
}
