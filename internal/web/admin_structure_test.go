package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"maillon"
)

var weekdayFieldIDs = []string{"f-hours-lundi", "f-hours-mardi", "f-hours-mercredi", "f-hours-jeudi", "f-hours-vendredi", "f-hours-samedi", "f-hours-dimanche"}

// structureForm is a valid structure settings form.
func structureForm() url.Values {
	v := url.Values{
		"name":         {"Médiation Test"},
		"siret":        {"356 000 000 00048"},
		"address_line": {"12 rue de la République"},
		"postal_code":  {"69200"},
		"city":         {"Vénissieux"},
		"email":        {"contact@mediation.example.fr"},
		"phone":        {"04 72 00 00 00"},
		"holidays":     {"alsace-moselle"},
	}
	for d := range 7 {
		v.Set(maillon.OfficeHoursField(d), "")
	}
	v.Set("hours_lundi", "9h-12h30, 14:00-17:30")
	v.Set("hours_samedi", "09:00-12:00")
	return v
}

func TestStructureSettingsShowCurrentValues(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		page := a.login(a.st.Admin).get("/admin/structure").wantStatus(http.StatusOK)
		if page.text("h1") != "Paramètres de la structure" {
			t.Errorf("h1 = %q", page.text("h1"))
		}
		if v, _ := page.find("#f-name").Attr("value"); v != "Médiation Test" {
			t.Errorf("name = %q", v)
		}
		for i, id := range weekdayFieldIDs {
			in := page.find(`form[action="/admin/structure"] input#` + id)
			if in.Length() != 1 {
				t.Errorf("no office hours field %s", id)
				continue
			}
			if got := page.text(`label[for="` + id + `"]`); got != maillon.WeekdayNames[i] {
				t.Errorf("label of %s = %q", id, got)
			}
			want := "09:00-12:30, 13:30-17:30" // the default hours
			if i >= 5 {
				want = ""
			}
			if v, _ := in.Attr("value"); v != want {
				t.Errorf("%s = %q, want %q", id, v, want)
			}
		}
		if page.find(`form[action="/admin/structure"] input[id^="f-hours-"]`).Length() != 7 {
			t.Error("want exactly seven weekday fields")
		}
		if page.find(`select#f-holidays option[value="metropole"][selected]`).Length() != 1 {
			t.Error("holiday calendar metropole not selected")
		}
		if !strings.Contains(page.text(`label[for="f-name"]`), "(obligatoire)") || strings.Contains(page.text(`label[for="f-siret"]`), "obligatoire") {
			t.Error("required fields not marked in text, or optional ones marked")
		}
	})
}

func TestStructureSettingsValidation(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Admin)
		form := structureForm()
		form.Set("siret", "12345678901235")
		form.Set("postal_code", "6920")
		form.Set("email", "contact@")
		form.Set("hours_mardi", "9h-8h")
		form.Set("holidays", "lune")
		form.Set("name", "  ")
		r := c.post("/admin/structure", form).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("name", "Indiquez le nom de la structure")
		r.wantFieldError("siret", "n'est pas valide")
		r.wantFieldError("postal_code", "5 chiffres")
		r.wantFieldError("email", "adresse e-mail valide")
		r.wantFieldError("hours_mardi", "finir après son début")
		r.wantFieldError("holidays", "calendrier")
		if got := r.find(".error-summary li").Length(); got != 6 {
			t.Errorf("error summary lists %d errors, want 6", got)
		}
		// The summary follows the order of the form.
		var order []string
		r.find(".error-summary a").Each(func(_ int, s *goquery.Selection) { order = append(order, s.AttrOr("href", "")) })
		if strings.Join(order, " ") != "#f-name #f-siret #f-postal-code #f-email #f-hours-mardi #f-holidays" {
			t.Errorf("error summary order: %v", order)
		}
		if v, _ := r.find("#f-hours-mardi").Attr("value"); v != "9h-8h" {
			t.Errorf("hours not kept: %q", v)
		}
		if v, _ := r.find("#f-city").Attr("value"); v != "Vénissieux" {
			t.Errorf("city not kept: %q", v)
		}
		r.wantContains(".error-summary h2", "6 erreurs")
		other := structureForm()
		other.Set("siret", "1234")
		other.Set("hours_jeudi", "le matin")
		r = c.post("/admin/structure", other).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("siret", "14 chiffres")
		r.wantFieldError("hours_jeudi", "09:00-12:30")

		st, err := a.db.FindStructureByID(bg, actorOf(a.st.Admin), a.st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Address.City != "" || st.SIRET != "" {
			t.Errorf("invalid settings saved: %+v", st)
		}
	})
}

func TestStructureSettingsSave(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Admin)
		c.post("/admin/structure", structureForm()).wantRedirect("/admin/structure")
		page := c.get("/admin/structure").wantStatus(http.StatusOK).wantFlash("paramètres de la structure ont été enregistrés")
		for id, want := range map[string]string{
			"#f-siret": "35600000000048", "#f-address-line": "12 rue de la République", "#f-postal-code": "69200",
			"#f-city": "Vénissieux", "#f-email": "contact@mediation.example.fr", "#f-phone": "04 72 00 00 00",
			"#f-hours-lundi": "09:00-12:30, 14:00-17:30", "#f-hours-mardi": "", "#f-hours-samedi": "09:00-12:00",
		} {
			if v, _ := page.find(id).Attr("value"); v != want {
				t.Errorf("%s = %q, want %q", id, v, want)
			}
		}
		if page.find(`select#f-holidays option[value="alsace-moselle"][selected]`).Length() != 1 {
			t.Error("holiday calendar not saved")
		}
		st, err := a.db.FindStructureByID(bg, actorOf(a.st.Admin), a.st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Holidays != maillon.HolidaysAlsaceMoselle || st.Address.PostalCode != "69200" || st.OfficeHours.Day(0) != "09:00-12:30, 14:00-17:30" {
			t.Errorf("stored structure: %+v", st)
		}
		// The other structure is untouched.
		ost, err := a.db.FindStructureByID(bg, actorOf(a.other.Admin), a.other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ost.SIRET != "" || ost.Name != "Autre structure" {
			t.Errorf("other structure changed: %+v", ost)
		}
		audit := c.get("/admin/audit?action=structure.update").wantStatus(http.StatusOK)
		rows := audit.find("table tbody tr")
		if rows.Length() != 1 {
			t.Fatalf("audit rows for structure.update: %d", rows.Length())
		}
		row := strings.Join(strings.Fields(rows.Text()), " ")
		for _, want := range []string{"Modification de la structure", a.st.Admin.DisplayName, "structure n° " + strconv.FormatInt(int64(a.st.ID), 10), "siret"} {
			if !strings.Contains(row, want) {
				t.Errorf("audit row %q lacks %q", row, want)
			}
		}
	})
}

func TestTerritoryCommunes(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Admin)
		empty := c.get("/admin/territory").wantStatus(http.StatusOK)
		empty.wantContains("main", "Aucune commune pour le moment")
		if empty.find(`form[action="/admin/territory/zones"]`).Length() != 0 {
			t.Error("zone form shown before any commune exists")
		}

		bad := c.post("/admin/territory/communes", url.Values{"insee": {"6925"}, "commune_name": {"Vénissieux"}}).
			wantStatus(http.StatusUnprocessableEntity)
		bad.wantFieldError("insee", "5 caractères")
		if v, _ := bad.find("#f-commune-name").Attr("value"); v != "Vénissieux" {
			t.Errorf("commune name not kept: %q", v)
		}
		c.post("/admin/territory/communes", url.Values{"insee": {""}, "commune_name": {""}}).
			wantStatus(http.StatusUnprocessableEntity).wantFieldError("commune_name", "Indiquez le nom de la commune")

		c.post("/admin/territory/communes", url.Values{"insee": {"69259"}, "commune_name": {"Vénissieux"}}).wantRedirect("/admin/territory")
		c.post("/admin/territory/communes", url.Values{"insee": {"2a004"}, "commune_name": {"Ajaccio"}}).wantRedirect("/admin/territory")
		page := c.get("/admin/territory").wantStatus(http.StatusOK).wantFlash("commune a été ajoutée")
		if got := page.find(".territory-commune h3").Length(); got != 2 {
			t.Fatalf("communes listed: %d", got)
		}
		page.wantContains("main", "Vénissieux", "INSEE 69259", "Ajaccio", "INSEE 2A004")

		dup := c.post("/admin/territory/communes", url.Values{"insee": {"69259"}, "commune_name": {"Vénissieux bis"}})
		if dup.status != http.StatusUnprocessableEntity && dup.status != http.StatusConflict {
			t.Fatalf("duplicate commune: status %d", dup.status)
		}
		dup.wantFieldError("insee", "déjà")
		if got := dup.find(".territory-commune").Length(); got != 2 {
			t.Errorf("the re-rendered page lists %d communes", got)
		}

		terr, err := a.db.FindTerritory(bg, actorOf(a.st.Admin), a.st.ID)
		if err != nil {
			t.Fatal(err)
		}
		other := mustCommune(t, a, a.other.Admin, "13055", "Marseille")
		c.post(idPath("/admin/territory/communes", int64(other.ID), "/delete"), nil).wantStatus(http.StatusNotFound)
		c.post("/admin/territory/communes/999999/delete", nil).wantStatus(http.StatusNotFound)
		c.post("/admin/territory/communes/abc/delete", nil).wantStatus(http.StatusNotFound)
		if ot, _ := a.db.FindTerritory(bg, actorOf(a.other.Admin), a.other.ID); len(ot.Communes) != 1 {
			t.Error("the other structure's commune was deleted")
		}

		var venissieux maillon.Commune
		for _, cm := range terr.Communes {
			if cm.INSEE == "69259" {
				venissieux = cm
			}
		}
		mustZone(t, a, a.st.Admin, venissieux.ID, "Minguettes", "")
		c.post(idPath("/admin/territory/communes", int64(venissieux.ID), "/delete"), nil).wantRedirect("/admin/territory")
		page = c.get("/admin/territory").wantFlash("retirés du territoire")
		if strings.Contains(page.text("main .territory-commune"), "Vénissieux") || page.find(".territory-commune").Length() != 1 {
			t.Errorf("commune not removed: %q", page.text("main"))
		}
		if terr, _ = a.db.FindTerritory(bg, actorOf(a.st.Admin), a.st.ID); terr.ZoneCount() != 0 {
			t.Error("the commune's zones remain")
		}
	})
}

// Ensure a zone posted after its commune was removed (a stale tab) shows
// the zone form with its errors, so the error summary links lead somewhere.
func TestTerritoryZoneWithoutCommunes(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Admin)
		r := c.post("/admin/territory/zones", url.Values{"commune_id": {"999999"}, "zone_name": {"Minguettes"}}).
			wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("commune_id", "Choisissez une commune du territoire")
		if v, _ := r.find("#f-zone-name").Attr("value"); v != "Minguettes" {
			t.Errorf("zone name not kept: %q", v)
		}
		checkA11y(t, "zone form without communes", r)
	})
}

func TestTerritoryZones(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		cm := mustCommune(t, a, a.st.Admin, "69259", "Vénissieux")
		cid := strconv.FormatInt(int64(cm.ID), 10)
		c := a.login(a.st.Admin)
		page := c.get("/admin/territory").wantStatus(http.StatusOK)
		if page.find(`select#f-commune-id option[value="`+cid+`"]`).Length() != 1 {
			t.Fatal("the zone form does not offer the commune")
		}

		r := c.post("/admin/territory/zones", url.Values{"commune_id": {""}, "zone_name": {"Minguettes"}, "qpv_code": {"QX123"}}).
			wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("commune_id", "Choisissez la commune")
		r.wantFieldError("qpv_code", "QP ou QN")
		if v, _ := r.find("#f-zone-name").Attr("value"); v != "Minguettes" {
			t.Errorf("zone name not kept: %q", v)
		}
		if v, _ := r.find("#f-qpv-code").Attr("value"); v != "QX123" {
			t.Errorf("QPV code not kept: %q", v)
		}
		c.post("/admin/territory/zones", url.Values{"commune_id": {cid}, "zone_name": {""}}).
			wantStatus(http.StatusUnprocessableEntity).wantFieldError("zone_name", "Indiquez le nom du quartier")

		// A commune of another structure cannot receive a zone.
		other := mustCommune(t, a, a.other.Admin, "13055", "Marseille")
		c.post("/admin/territory/zones", url.Values{"commune_id": {strconv.FormatInt(int64(other.ID), 10)}, "zone_name": {"Noailles"}}).
			wantStatus(http.StatusUnprocessableEntity).wantFieldError("commune_id", "Choisissez une commune du territoire")

		c.post("/admin/territory/zones", url.Values{"commune_id": {cid}, "zone_name": {"Minguettes"}, "qpv_code": {"qn06901m"}}).wantRedirect("/admin/territory")
		c.post("/admin/territory/zones", url.Values{"commune_id": {cid}, "zone_name": {"Centre"}}).wantRedirect("/admin/territory")
		page = c.get("/admin/territory").wantFlash("quartier a été ajouté")
		page.wantContains(".territory-commune", "Minguettes – QPV QN06901M", "Centre")
		dup := c.post("/admin/territory/zones", url.Values{"commune_id": {cid}, "zone_name": {"Centre"}})
		if dup.status != http.StatusUnprocessableEntity && dup.status != http.StatusConflict {
			t.Fatalf("duplicate zone: status %d", dup.status)
		}
		dup.wantFieldError("zone_name", "déjà")
		if v, _ := dup.find(`#f-commune-id option[selected]`).Attr("value"); v != cid {
			t.Errorf("commune choice not kept: %q", v)
		}

		terr, err := a.db.FindTerritory(bg, actorOf(a.st.Admin), a.st.ID)
		if err != nil {
			t.Fatal(err)
		}
		zones := terr.Communes[0].Zones
		if len(zones) != 2 {
			t.Fatalf("zones: %+v", zones)
		}
		oz := mustZone(t, a, a.other.Admin, other.ID, "Noailles", "")
		c.post(idPath("/admin/territory/zones", int64(oz.ID), "/delete"), nil).wantStatus(http.StatusNotFound)
		c.post("/admin/territory/zones/0/delete", nil).wantStatus(http.StatusNotFound)
		var centre maillon.Zone
		for _, z := range zones {
			if z.Name == "Centre" {
				centre = z
			}
		}
		c.post(idPath("/admin/territory/zones", int64(centre.ID), "/delete"), nil).wantRedirect("/admin/territory")
		page = c.get("/admin/territory").wantFlash("quartier a été retiré")
		if strings.Contains(page.text(".territory-commune ul"), "Centre") {
			t.Error("zone not removed")
		}
		if ot, _ := a.db.FindTerritory(bg, actorOf(a.other.Admin), a.other.ID); ot.ZoneCount() != 1 {
			t.Error("the other structure's zone was deleted")
		}
		audit := c.get("/admin/audit?action=territory.change").wantStatus(http.StatusOK)
		if got := audit.find("tbody tr").Length(); got != 4 { // commune, two zones, one deletion
			t.Errorf("territory audit entries: %d, want 4", got)
		}
	})
}
