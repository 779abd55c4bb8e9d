package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"maillon"
)

func TestProcedureCatalogue(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		admin := a.login(a.st.Admin)
		a.login(a.st.Mediator).get("/admin/procedures").wantStatus(http.StatusForbidden)
		if admin.get("/admin").find(`main a[href="/admin/procedures"]`).Length() != 1 {
			t.Error("no card for the catalogue")
		}
		r := admin.get("/admin/procedures").wantStatus(http.StatusOK)
		checkA11y(t, "catalogue", r)
		r.wantContains("#organisme-caf + ul", "Demande de RSA", "Prime d'activité")
		r.wantContains("main", "France Travail", "Aucune démarche")

		admin.post("/admin/procedures", url.Values{"organisme": {"caf"}, "label": {"Demande de RSA"}}).
			wantStatus(http.StatusConflict).wantFieldError("label", "existe déjà")
		bad := admin.post("/admin/procedures", url.Values{"organisme": {"lune"}, "label": {" "}}).wantStatus(http.StatusUnprocessableEntity)
		bad.wantFieldError("organisme", "organisme")
		bad.wantFieldError("label", "nom de la démarche")
		checkA11y(t, "catalogue in error", bad)
		admin.post("/admin/procedures", url.Values{"organisme": {"caf"}, "label": {"Aide exceptionnelle"}}).wantRedirect("/admin/procedures")
		admin.get("/admin/procedures").wantFlash("ajoutée").wantContains("#organisme-caf + ul", "Aide exceptionnelle")
		entry := ivCatalogueEntry(t, a, a.st.Admin, "caf", "Aide exceptionnelle")

		iv := ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{Procedures: []maillon.ProcedureInput{
			{Organisme: "caf", TypeID: entry, Channel: "guichet", Mode: "faire_avec"}}})
		path := idPath("/interventions", int64(iv.ID), "")

		// Retired: gone from the form, still on the past procedure, and
		// kept when that intervention is edited.
		admin.post(idPath("/admin/procedures", int64(entry), "/active"), url.Values{"active": {"0"}}).wantRedirect("/admin/procedures")
		admin.get("/admin/procedures").wantFlash("retirée").wantContains("#organisme-caf + ul", "retirée")
		med := a.login(a.st.Mediator)
		option := `select[name="proc0_type_id"] option[value="` + ivID(entry) + `"]`
		if med.get("/interventions/new").find(option).Length() != 0 {
			t.Error("retired entry still offered")
		}
		med.get(path).wantContains("main", "CAF – Aide exceptionnelle")
		edit := med.get(path + "/edit")
		if o := edit.find(option); o.Length() != 1 || !strings.Contains(o.Text(), "retirée") || ivSelected(edit, "proc0_type_id") != ivID(entry) {
			t.Error("retired entry not kept on the edited intervention")
		}
		med.post(path, ivFormValues(edit, path)).wantRedirect(path)
		if got, _ := a.db.FindInterventionByID(bg, actorOf(a.st.Admin), iv.ID); got.Procedures[0].TypeID != entry {
			t.Errorf("retired entry lost on edit: %+v", got.Procedures)
		}

		admin.post(idPath("/admin/procedures", int64(entry), "/active"), url.Values{"active": {"1"}}).wantRedirect("/admin/procedures")
		if med.get("/interventions/new").find(option).Length() != 1 {
			t.Error("reactivated entry not offered")
		}
		admin.post("/admin/procedures/999999/active", url.Values{"active": {"0"}}).wantStatus(http.StatusNotFound)
	})
}
