package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"maillon/internal/storetest"
)

// Ensure an empty instance leads to the one-time set-up page, which creates
// the structure and its administrator, logs them in, and then disappears.
func TestSetupFirstStructure(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		a := newApp(t, db)
		c := a.client()
		c.get("/").wantRedirect("/login?next=%2F")
		c.get("/login").wantRedirect("/setup")

		page := c.get("/setup").wantStatus(http.StatusOK)
		if got := page.text("h1"); got != "Installation de Maillon" {
			t.Errorf("h1 = %q", got)
		}
		for _, id := range []string{"f-structure-name", "f-admin-name", "f-admin-email", "f-password", "f-password-confirm"} {
			if page.find(`form[action="/setup"] #`+id).Length() != 1 || page.find(`label[for="`+id+`"]`).Length() != 1 {
				t.Errorf("set-up form lacks the labelled field %s", id)
			}
		}
		if !strings.Contains(page.text(`label[for="f-structure-name"]`), "(obligatoire)") {
			t.Errorf("required field not marked in text: %q", page.text(`label[for="f-structure-name"]`))
		}
		if page.find(".error-summary").Length() != 0 {
			t.Error("error summary shown before any submission")
		}

		// Errors: every field keeps its value except the passwords.
		bad := c.post("/setup", url.Values{
			"structure_name":   {""},
			"admin_name":       {"Camille Martin"},
			"admin_email":      {"camille@exemple"},
			"password":         {"un secret assez long"},
			"password_confirm": {"un autre secret long"},
		}).wantStatus(http.StatusUnprocessableEntity)
		bad.wantFieldError("structure_name", "Indiquez le nom de la structure")
		bad.wantFieldError("admin_email", "adresse e-mail valide")
		bad.wantFieldError("password_confirm", "Les deux mots de passe ne sont pas identiques.")
		if !strings.HasPrefix(bad.text("title"), "Erreur : ") {
			t.Errorf("title of the form in error = %q", bad.text("title"))
		}
		if v, _ := bad.find("#f-admin-name").Attr("value"); v != "Camille Martin" {
			t.Errorf("admin_name not kept: %q", v)
		}
		if v, _ := bad.find("#f-admin-email").Attr("value"); v != "camille@exemple" {
			t.Errorf("admin_email not kept: %q", v)
		}
		for _, id := range []string{"#f-password", "#f-password-confirm"} {
			if v, _ := bad.find(id).Attr("value"); v != "" {
				t.Errorf("%s echoed back: %q", id, v)
			}
		}
		if strings.Contains(bad.body, "un secret assez long") || strings.Contains(bad.body, "un autre secret long") {
			t.Error("a password appears in the page")
		}

		weak := c.post("/setup", url.Values{
			"structure_name": {"Médiation de Villeneuve"}, "admin_name": {"Camille Martin"},
			"admin_email": {"camille@exemple.fr"}, "password": {"court"}, "password_confirm": {"court"},
		}).wantStatus(http.StatusUnprocessableEntity)
		weak.wantFieldError("password", "au moins 12 caractères")
		if v, _ := weak.find("#f-structure-name").Attr("value"); v != "Médiation de Villeneuve" {
			t.Errorf("structure_name not kept: %q", v)
		}

		// Success: logged in, sent to the structure settings with a flash.
		c.post("/setup", url.Values{
			"structure_name": {"Médiation de Villeneuve"}, "admin_name": {"Camille Martin"},
			"admin_email": {"Camille@Exemple.fr"}, "password": {"la fanfare joue au kiosque"}, "password_confirm": {"la fanfare joue au kiosque"},
		}).wantRedirect("/admin/structure")
		settings := c.get("/admin/structure").wantStatus(http.StatusOK)
		if got := settings.text(".notice--success"); !strings.Contains(got, "Maillon est installé") {
			t.Errorf("flash after set-up = %q", got)
		}
		if v, _ := settings.find("#f-name").Attr("value"); v != "Médiation de Villeneuve" {
			t.Errorf("structure name = %q", v)
		}
		if got := settings.text(".brand__structure"); got != "Médiation de Villeneuve" {
			t.Errorf("header structure = %q", got)
		}
		home := c.get("/").wantStatus(http.StatusOK)
		if !strings.Contains(home.text("h1"), "Camille Martin") || !strings.Contains(home.text("main"), "Administration de la structure") {
			t.Errorf("home after set-up: h1 %q, main %q", home.text("h1"), home.text("main"))
		}

		// The page is gone, for this session and for anyone else.
		c.get("/setup").wantStatus(http.StatusNotFound)
		c.post("/setup", url.Values{
			"structure_name": {"Pirate"}, "admin_name": {"Pirate"}, "admin_email": {"pirate@exemple.fr"},
			"password": {"la fanfare joue au kiosque"}, "password_confirm": {"la fanfare joue au kiosque"},
		}).wantStatus(http.StatusNotFound)
		anon := a.client()
		nf := anon.get("/setup").wantStatus(http.StatusNotFound)
		if nf.text("h1") != "Page introuvable" {
			t.Errorf("404 h1 = %q", nf.text("h1"))
		}
		anon.get("/login").wantStatus(http.StatusOK)
		anon.post("/setup", url.Values{
			"structure_name": {"Pirate"}, "admin_name": {"Pirate"}, "admin_email": {"pirate@exemple.fr"},
			"password": {"la fanfare joue au kiosque"}, "password_confirm": {"la fanfare joue au kiosque"},
		}).wantStatus(http.StatusNotFound)

		// The administrator can log in again with the chosen password.
		again := a.client()
		again.get("/login")
		again.post("/login", url.Values{"email": {"camille@exemple.fr"}, "password": {"la fanfare joue au kiosque"}, "next": {"/"}}).wantRedirect("/")
	})
}

// Ensure the set-up form needs the anonymous CSRF token.
func TestSetupNeedsCSRFToken(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		a := newApp(t, db)
		c := a.client()
		c.get("/setup").wantStatus(http.StatusOK)
		c.post("/setup", url.Values{
			"csrf_token":     {"forged"},
			"structure_name": {"Médiation"}, "admin_name": {"Camille"}, "admin_email": {"camille@exemple.fr"},
			"password": {"la fanfare joue au kiosque"}, "password_confirm": {"la fanfare joue au kiosque"},
		}).wantStatus(http.StatusForbidden)
		c.get("/setup").wantStatus(http.StatusOK) // still available
	})
}
