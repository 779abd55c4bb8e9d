package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

// signIn logs in through the login form with an explicit password (a
// temporary one, or one the user chose) and picks up the CSRF token.
func (a *app) signIn(email, password string) *client {
	a.t.Helper()
	c := a.client()
	c.get("/login")
	r := c.post("/login", url.Values{"email": {email}, "password": {password}, "next": {"/"}})
	if r.status != http.StatusSeeOther {
		a.t.Fatalf("login %s: status %d\n%s", email, r.status, r.text("main"))
	}
	c.get("/account")
	return c
}

var temporaryPasswordPattern = regexp.MustCompile(`^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$`)

// temporaryPassword reads the password shown once on the creation or
// reset page.
func temporaryPassword(t testing.TB, r *response) string {
	t.Helper()
	code := r.find("main code")
	if code.Length() != 1 {
		t.Fatalf("want one code element with the temporary password, got %d; main: %.300s", code.Length(), r.text("main"))
	}
	pw := strings.TrimSpace(code.Text())
	if !temporaryPasswordPattern.MatchString(pw) {
		t.Fatalf("temporary password %q is not xxxx-xxxx-xxxx-xxxx", pw)
	}
	return pw
}

func TestAccountShowsDetails(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		team := mustTeam(t, a, a.st.Admin, "Équipe Nord")
		mustJoinTeam(t, a, a.st.Admin, a.st.Coordinator, team.ID)
		c := a.login(a.st.Coordinator)
		page := c.get("/account").wantStatus(http.StatusOK)
		if page.text("h1") != "Mon compte" {
			t.Errorf("h1 = %q", page.text("h1"))
		}
		page.wantContains(".summary-list", a.st.Coordinator.DisplayName, a.st.Coordinator.Email, "Coordination", "Équipe Nord", "Médiation Test", "10 mars 2026 à 10 h 30")
		page.wantContains("main", "connecté·e sur 1 appareil ou navigateur")
		a.login(a.st.Coordinator)
		c.get("/account").wantContains("main", "connecté·e sur 2 appareils ou navigateurs")
		if page.find(`main a[href="/account/password"]`).Length() != 1 || page.find(`form[action="/account/logout-everywhere"] button`).Length() != 1 {
			t.Error("account page lacks the password link or the log-out-everywhere button")
		}
	})
}

func TestPasswordChange(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		u := a.st.Mediator
		other := a.login(u) // another device of the same user
		c := a.login(u)
		form := c.get("/account/password").wantStatus(http.StatusOK)
		if form.text("h1") != "Changer de mot de passe" {
			t.Errorf("h1 = %q", form.text("h1"))
		}
		if form.find(".main-nav").Length() != 1 || form.find(".breadcrumb").Length() != 1 {
			t.Error("the voluntary password page lacks the navigation or breadcrumb")
		}
		for _, id := range []string{"f-current-password", "f-password", "f-password-confirm"} {
			if form.find(`input#`+id+`[type=password]`).Length() != 1 || form.find(`label[for="`+id+`"]`).Length() != 1 {
				t.Errorf("labelled password field %s missing", id)
			}
		}

		const next = "le héron pêche dans la Saône"
		wrong := c.post("/account/password", url.Values{"current_password": {"pas le bon mot de passe"}, "password": {next}, "password_confirm": {next}}).
			wantStatus(http.StatusUnprocessableEntity)
		wrong.wantFieldError("current_password", "incorrect")
		for _, id := range []string{"#f-current-password", "#f-password", "#f-password-confirm"} {
			if v, _ := wrong.find(id).Attr("value"); v != "" {
				t.Errorf("%s echoed back", id)
			}
		}
		if strings.Contains(wrong.body, next) {
			t.Error("the new password appears in the page")
		}

		c.post("/account/password", url.Values{"current_password": {storetest.Password}, "password": {next}, "password_confirm": {"autre chose de long"}}).
			wantStatus(http.StatusUnprocessableEntity).
			wantFieldError("password_confirm", "ne sont pas identiques")
		c.post("/account/password", url.Values{"current_password": {storetest.Password}, "password": {"court"}, "password_confirm": {"court"}}).
			wantStatus(http.StatusUnprocessableEntity).
			wantFieldError("password", "au moins 12 caractères")
		c.post("/account/password", url.Values{"current_password": {storetest.Password}, "password": {"motdepasse123"}, "password_confirm": {"motdepasse123"}}).
			wantStatus(http.StatusUnprocessableEntity).
			wantFieldError("password", "trop courant")

		c.post("/account/password", url.Values{"current_password": {storetest.Password}, "password": {next}, "password_confirm": {next}}).
			wantRedirect("/account")
		c.get("/account").wantStatus(http.StatusOK).wantFlash("Votre mot de passe a été changé").
			wantContains("main", "connecté·e sur 1 appareil")
		c.get("/").wantStatus(http.StatusOK) // this session stays
		other.get("/").wantRedirect("/login?next=%2F")

		// The old password no longer works; the new one does.
		anon := a.client()
		anon.get("/login")
		anon.post("/login", url.Values{"email": {u.Email}, "password": {storetest.Password}}).wantStatus(http.StatusUnauthorized)
		a.signIn(u.Email, next).get("/").wantStatus(http.StatusOK)
	})
}

func TestLogoutEverywhere(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		other := a.login(a.st.Coordinator)
		bystander := a.login(a.st.Mediator)
		c := a.login(a.st.Coordinator)
		c.post("/account/logout-everywhere", nil).wantRedirect("/login")
		c.get("/login").wantStatus(http.StatusOK).wantFlash("déconnecté·e de tous vos appareils")
		c.get("/").wantRedirect("/login?next=%2F")
		c.get("/account").wantRedirect("/login?next=%2Faccount")
		other.get("/").wantRedirect("/login?next=%2F")
		bystander.get("/").wantStatus(http.StatusOK) // another user keeps their session
	})
}

// Ensure a password reset by an administrator forces the user to choose a
// new one before anything else.
func TestForcedPasswordChangeAfterReset(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		// A second administrator, so that POST routes other than the
		// password form exist for the user being reset.
		u := storetest.MustCreateUser(t, a.db, a.st.ID, maillon.RoleAdmin)
		old := a.login(u)
		admin := a.login(a.st.Admin)
		page := admin.post(idPath("/admin/users", int64(u.ID), "/reset-password"), nil).wantStatus(http.StatusOK)
		if page.text("h1") != "Mot de passe réinitialisé" {
			t.Errorf("h1 = %q", page.text("h1"))
		}
		page.wantContains(".notice--success", u.DisplayName, "réinitialisé")
		temp := temporaryPassword(t, page)
		// Shown once: the account page does not repeat it.
		acct := admin.get(idPath("/admin/users", int64(u.ID), "")).wantStatus(http.StatusOK)
		if strings.Contains(acct.body, temp) {
			t.Error("temporary password shown again on the account page")
		}
		acct.wantContains(".summary-list", "mot de passe provisoire")
		old.get("/").wantRedirect("/login?next=%2F") // the reset closed the user's sessions

		anon := a.client()
		anon.get("/login")
		anon.post("/login", url.Values{"email": {u.Email}, "password": {storetest.Password}}).wantStatus(http.StatusUnauthorized)

		c := a.signIn(u.Email, temp)
		for _, p := range []string{"/", "/admin", "/admin/users", "/admin/teams"} {
			c.get(p).wantRedirect("/account/password")
		}
		forced := c.get("/account/password").wantStatus(http.StatusOK)
		if got := forced.text("title"); got != "Choisissez votre mot de passe – Maillon" {
			t.Errorf("title = %q", got)
		}
		if got := forced.text("h1"); got != "Choisissez votre mot de passe" {
			t.Errorf("h1 = %q", got)
		}
		if forced.find(".main-nav").Length() != 0 || forced.find(".breadcrumb").Length() != 0 {
			t.Error("main navigation or breadcrumb shown before the password is chosen")
		}
		forced.wantContains(`label[for="f-current-password"]`, "Mot de passe provisoire")
		c.get("/account").wantStatus(http.StatusOK) // allowed: the user can see who they are

		refused := c.post("/admin/teams", url.Values{"name": {"Équipe fantôme"}}).wantStatus(http.StatusForbidden)
		refused.wantContains("main", "Choisissez d'abord votre propre mot de passe")
		if teams, _ := a.db.FindTeams(bg, actorOf(a.st.Admin)); len(teams) != 0 {
			t.Errorf("team created before the password change: %v", teams)
		}

		// Keeping the temporary password is refused.
		c.post("/account/password", url.Values{"current_password": {temp}, "password": {temp}, "password_confirm": {temp}}).
			wantStatus(http.StatusUnprocessableEntity).
			wantFieldError("password", "différent")
		const mine = "mon propre mot de passe solide"
		c.post("/account/password", url.Values{"current_password": {temp}, "password": {mine}, "password_confirm": {mine}}).
			wantRedirect("/account")
		home := c.get("/").wantStatus(http.StatusOK)
		if home.find(`.main-nav a[href="/admin"]`).Length() != 1 {
			t.Error("navigation missing after the password change")
		}
		c.post("/admin/teams", url.Values{"name": {"Équipe Nord"}}).wantRedirect("/admin/teams")
		if got := admin.get(idPath("/admin/users", int64(u.ID), "")).text(".summary-list"); strings.Contains(got, "provisoire") {
			t.Errorf("account still marked temporary: %q", got)
		}
	})
}

// Ensure a user with a temporary password can still log out.
func TestForcedPasswordChangeAllowsLogout(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		pw := maillon.TemporaryPassword()
		if err := a.db.ResetPassword(bg, actorOf(a.st.Admin), a.st.Mediator.ID, pw); err != nil {
			t.Fatal(err)
		}
		c := a.signIn(a.st.Mediator.Email, pw)
		c.get("/").wantRedirect("/account/password")
		c.post("/logout", nil).wantRedirect("/login")
		c.get("/account/password").wantRedirect("/login?next=%2Faccount%2Fpassword")
	})
}
