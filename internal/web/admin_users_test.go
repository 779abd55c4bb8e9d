package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"maillon"
	"maillon/internal/storetest"
)

// mustUser creates a named user in admin's structure.
func mustUser(t testing.TB, a *app, admin *maillon.User, name, email string, role maillon.Role, team maillon.TeamID) *maillon.User {
	t.Helper()
	u, err := a.db.CreateUser(bg, actorOf(admin), admin.StructureID, maillon.UserInput{
		Email: email, DisplayName: name, Role: role, TeamID: team, Password: storetest.Password,
	})
	if err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
}

// userNames lists the names in the users table.
func userNames(r *response) []string {
	var out []string
	r.find("table tbody tr td:first-child a").Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Text()))
	})
	return out
}

func sortedCopy(s []string) []string { return slices.Sorted(slices.Values(s)) }

func TestUsersListFilters(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		nord := mustTeam(t, a, a.st.Admin, "Équipe Nord")
		helene := mustUser(t, a, a.st.Admin, "Hélène Dupré", "h.dupre@exemple.fr", maillon.RoleMediateur, nord.ID)
		mustUser(t, a, a.st.Admin, "Hector Martin", "hector@exemple.fr", maillon.RoleCoordinateur, 0)
		zoe := mustUser(t, a, a.st.Admin, "Zoé Lefèvre", "zoe@exemple.fr", maillon.RoleMediateur, nord.ID)
		if err := a.db.SetUserActive(bg, actorOf(a.st.Admin), zoe.ID, false); err != nil {
			t.Fatal(err)
		}
		mustUser(t, a, a.other.Admin, "Hélène Ailleurs", "helene.ailleurs@exemple.fr", maillon.RoleMediateur, 0)
		c := a.login(a.st.Admin)

		all := c.get("/admin/users").wantStatus(http.StatusOK)
		if got := len(userNames(all)); got != 6 {
			t.Errorf("all users: %d rows (%v), want 6", got, userNames(all))
		}
		if strings.Contains(all.text("main"), "Ailleurs") {
			t.Error("another structure's user is listed")
		}
		all.wantContains("table caption", "Comptes de la structure")
		if got := all.text(`tbody tr:contains("Zoé") .badge--off`); got != "Désactivé" {
			t.Errorf("deactivated badge = %q", got)
		}

		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"q=helene", []string{"Hélène Dupré"}},
			{"q=H%C3%89L%C3%88NE", []string{"Hélène Dupré"}},
			{"q=dupre", []string{"Hélène Dupré"}},
			{"q=lefevre", []string{"Zoé Lefèvre"}},
			{"q=hector%40exemple", []string{"Hector Martin"}},
			{"q=personne", nil},
			{"team=" + strconv.FormatInt(int64(nord.ID), 10), []string{"Hélène Dupré", "Zoé Lefèvre"}},
			{"team=" + strconv.FormatInt(int64(nord.ID), 10) + "&active=on", []string{"Hélène Dupré"}},
			{"role=coordinateur", []string{a.st.Coordinator.DisplayName, "Hector Martin"}},
			{"role=admin", []string{a.st.Admin.DisplayName}},
			{"role=mediateur&q=h", []string{"Hélène Dupré"}},
		} {
			r := c.get("/admin/users?" + tc.query).wantStatus(http.StatusOK)
			got := userNames(r)
			if strings.Join(sortedCopy(got), "|") != strings.Join(sortedCopy(tc.want), "|") {
				t.Errorf("%s: got %v, want %v", tc.query, got, tc.want)
			}
			if len(tc.want) == 0 {
				r.wantContains("main", "Aucun compte ne correspond")
			}
		}
		active := c.get("/admin/users?active=on")
		for _, n := range userNames(active) {
			if strings.HasPrefix(n, "Zoé") {
				t.Error("active=on lists a deactivated account")
			}
		}
		if len(userNames(active)) != 5 {
			t.Errorf("active accounts: %v", userNames(active))
		}

		// The filter form keeps what was asked.
		kept := c.get("/admin/users?q=H%C3%A9l%C3%A8ne&team=" + strconv.FormatInt(int64(nord.ID), 10) + "&role=mediateur&active=on")
		if v, _ := kept.find("#f-q").Attr("value"); v != "Hélène" {
			t.Errorf("q field = %q", v)
		}
		if v := kept.find("#f-team option[selected]").AttrOr("value", ""); v != strconv.FormatInt(int64(nord.ID), 10) {
			t.Errorf("team filter = %q", v)
		}
		if v := kept.find("#f-role option[selected]").AttrOr("value", ""); v != "mediateur" {
			t.Errorf("role filter = %q", v)
		}
		if kept.find("#f-active[checked]").Length() != 1 {
			t.Error("active checkbox not kept")
		}
		if got := userNames(kept); len(got) != 1 || got[0] != helene.DisplayName {
			t.Errorf("combined filter: %v", got)
		}
		// A search too long to be a name is refused next to its field.
		long := c.get("/admin/users?q=" + strings.Repeat("a", 101)).wantStatus(http.StatusUnprocessableEntity)
		long.wantFieldError("q", "trop long")
		// Unknown filter values are ignored rather than failing.
		c.get("/admin/users?role=operateur&team=abc&page=-3").wantStatus(http.StatusOK)
	})
}

func TestUsersListPagination(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		for range 50 {
			storetest.MustCreateUser(t, a.db, a.st.ID, maillon.RoleMediateur)
		}
		c := a.login(a.st.Admin)
		first := c.get("/admin/users").wantStatus(http.StatusOK)
		if got := first.find("tbody tr").Length(); got != 50 {
			t.Errorf("first page: %d rows", got)
		}
		first.wantContains("nav.pagination", "1 à 50 sur 53")
		if first.find(`nav.pagination a[rel="prev"]`).Length() != 0 {
			t.Error("first page links to a previous page")
		}
		next := first.find(`nav.pagination a[rel="next"]`).AttrOr("href", "")
		if next != "/admin/users?page=2" {
			t.Fatalf("next link = %q", next)
		}
		second := c.get(next).wantStatus(http.StatusOK)
		if got := second.find("tbody tr").Length(); got != 3 {
			t.Errorf("second page: %d rows", got)
		}
		second.wantContains("nav.pagination", "51 à 53 sur 53")
		if second.find(`nav.pagination a[rel="next"]`).Length() != 0 {
			t.Error("last page links to a next page")
		}
		if prev := second.find(`nav.pagination a[rel="prev"]`).AttrOr("href", ""); prev != "/admin/users" {
			t.Errorf("prev link = %q", prev)
		}
		seen := map[string]bool{}
		for _, n := range append(userNames(first), userNames(second)...) {
			if seen[n] {
				t.Errorf("%s listed on both pages", n)
			}
			seen[n] = true
		}

		// The links keep the filters.
		med := c.get("/admin/users?role=mediateur").wantStatus(http.StatusOK)
		med.wantContains("nav.pagination", "1 à 50 sur 51")
		next = med.find(`nav.pagination a[rel="next"]`).AttrOr("href", "")
		if next != "/admin/users?page=2&role=mediateur" {
			t.Fatalf("filtered next link = %q", next)
		}
		last := c.get(next).wantStatus(http.StatusOK)
		if got := last.find("tbody tr").Length(); got != 1 {
			t.Errorf("filtered second page: %d rows", got)
		}
		if prev := last.find(`nav.pagination a[rel="prev"]`).AttrOr("href", ""); prev != "/admin/users?role=mediateur" {
			t.Errorf("filtered prev link = %q", prev)
		}
		// A page past the end says there is nothing rather than failing.
		c.get("/admin/users?page=9").wantStatus(http.StatusOK).wantContains("main", "Aucun compte")
	})
}

func TestUserCreate(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		nord := mustTeam(t, a, a.st.Admin, "Équipe Nord")
		nid := strconv.FormatInt(int64(nord.ID), 10)
		c := a.login(a.st.Admin)
		if c.get("/admin/users").find(`main a[href="/admin/users/new"]`).Length() != 1 {
			t.Error("the users list has no link to create an account")
		}
		form := c.get("/admin/users/new").wantStatus(http.StatusOK)
		if form.text("h1") != "Créer un compte" {
			t.Errorf("h1 = %q", form.text("h1"))
		}
		if form.find(`fieldset#f-role legend`).Length() != 1 || form.find(`input[type=radio][name=role]`).Length() != 3 {
			t.Error("role is not a group of three radios with a legend")
		}
		if form.find(`input[type=radio][name=role][value=mediateur][checked]`).Length() != 1 {
			t.Error("mediateur is not the default role")
		}
		if form.find(`#f-team-id option[value="`+nid+`"]`).Length() != 1 {
			t.Error("team select lacks the structure's team")
		}

		taken := c.post("/admin/users", url.Values{"display_name": {"Alex Bernard"}, "email": {a.st.Mediator.Email}, "role": {"mediateur"}, "team_id": {nid}}).
			wantStatus(http.StatusUnprocessableEntity)
		taken.wantFieldError("email", "déjà")
		if v, _ := taken.find("#f-display-name").Attr("value"); v != "Alex Bernard" {
			t.Errorf("name not kept: %q", v)
		}
		if v := taken.find("#f-team-id option[selected]").AttrOr("value", ""); v != nid {
			t.Errorf("team not kept: %q", v)
		}
		// E-mail addresses are unique across the instance.
		c.post("/admin/users", url.Values{"display_name": {"Alex Bernard"}, "email": {strings.ToUpper(a.other.Mediator.Email)}, "role": {"mediateur"}}).
			wantStatus(http.StatusUnprocessableEntity).wantFieldError("email", "déjà")

		noRole := c.post("/admin/users", url.Values{"display_name": {""}, "email": {"alex@exemple"}, "team_id": {"abc"}}).
			wantStatus(http.StatusUnprocessableEntity)
		noRole.wantFieldError("role", "Choisissez un rôle")
		noRole.wantFieldError("display_name", "Indiquez le nom affiché")
		noRole.wantFieldError("email", "adresse e-mail valide")
		noRole.wantFieldError("team_id", "équipe")
		if noRole.find(`input[type=radio][name=role][checked]`).Length() != 0 {
			t.Error("a role is checked after submitting none")
		}
		if noRole.find(`input[type=radio][name=role][aria-invalid="true"]`).Length() != 3 {
			t.Error("radios of the role in error lack aria-invalid")
		}

		created := c.post("/admin/users", url.Values{"display_name": {"Alex Bernard"}, "email": {"Alex.Bernard@Exemple.fr"}, "role": {"coordinateur"}, "team_id": {nid}}).
			wantStatus(http.StatusOK)
		if created.text("h1") != "Compte créé" {
			t.Errorf("h1 = %q", created.text("h1"))
		}
		created.wantContains(".notice--success", "Alex Bernard", "alex.bernard@exemple.fr")
		temp := temporaryPassword(t, created)

		list := c.get("/admin/users?q=alex").wantStatus(http.StatusOK)
		list.wantContains("tbody tr", "Alex Bernard", "Coordination", "Équipe Nord", "Mot de passe provisoire", "Jamais")
		if strings.Contains(list.body, temp) {
			t.Error("temporary password shown on the list")
		}

		nc := a.signIn("alex.bernard@exemple.fr", temp)
		nc.get("/").wantRedirect("/account/password")
		const mine = "une phrase que je retiendrai"
		nc.post("/account/password", url.Values{"current_password": {temp}, "password": {mine}, "password_confirm": {mine}}).wantRedirect("/account")
		home := nc.get("/").wantStatus(http.StatusOK)
		home.wantContains("main > p", "Coordination", "équipe Équipe Nord")

		audit := c.get("/admin/audit?action=user.create&user=" + strconv.FormatInt(int64(a.st.Admin.ID), 10)).wantStatus(http.StatusOK)
		if got := audit.find("tbody tr").Length(); got != 1 {
			t.Errorf("user.create audit entries: %d", got)
		}
		if strings.Contains(audit.body, temp) || strings.Contains(audit.body, "alex.bernard@") {
			t.Error("the audit page shows the password or the e-mail")
		}
	})
}

func TestUserEdit(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		nord := mustTeam(t, a, a.st.Admin, "Équipe Nord")
		nid := strconv.FormatInt(int64(nord.ID), 10)
		u := a.st.Mediator
		path := idPath("/admin/users", int64(u.ID), "")
		c := a.login(a.st.Admin)

		page := c.get(path).wantStatus(http.StatusOK)
		if page.text("h1") != u.DisplayName {
			t.Errorf("h1 = %q", page.text("h1"))
		}
		page.wantContains(".summary-list", u.Email, "Actif", "10 mars 2026")
		if page.find(`input[name=role][value=mediateur][checked]`).Length() != 1 {
			t.Error("current role not checked")
		}
		for _, action := range []string{"/reset-password", "/deactivate"} {
			if page.find(`form[action="`+path+action+`"]`).Length() != 1 {
				t.Errorf("no %s form on another user's page", action)
			}
		}

		c.post(path, url.Values{"display_name": {" "}, "role": {"chef"}, "team_id": {nid}}).wantStatus(http.StatusUnprocessableEntity).
			wantFieldError("display_name", "Indiquez le nom affiché")
		bad := c.post(path, url.Values{"display_name": {"Nouveau nom"}, "role": {"chef"}, "team_id": {nid}}).wantStatus(http.StatusUnprocessableEntity)
		bad.wantFieldError("role", "Choisissez un rôle")
		if v, _ := bad.find("#f-display-name").Attr("value"); v != "Nouveau nom" {
			t.Errorf("name not kept: %q", v)
		}

		c.post(path, url.Values{"display_name": {"Samia Haddad"}, "role": {"coordinateur"}, "team_id": {nid}}).wantRedirect(path)
		page = c.get(path).wantStatus(http.StatusOK).wantFlash("Le compte a été enregistré")
		if page.text("h1") != "Samia Haddad" {
			t.Errorf("h1 after rename = %q", page.text("h1"))
		}
		if page.find(`input[name=role][value=coordinateur][checked]`).Length() != 1 {
			t.Error("new role not saved")
		}
		if v := page.find("#f-team-id option[selected]").AttrOr("value", ""); v != nid {
			t.Errorf("team = %q", v)
		}
		stored, err := a.db.FindUserByID(bg, actorOf(a.st.Admin), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.DisplayName != "Samia Haddad" || stored.Role != maillon.RoleCoordinateur || stored.TeamID != nord.ID {
			t.Errorf("stored user: %+v", stored)
		}
		// The role change takes effect on the user's next request.
		a.login(u).get("/").wantContains("main > p", "Coordination")

		// Leaving the team.
		c.post(path, url.Values{"display_name": {"Samia Haddad"}, "role": {"coordinateur"}, "team_id": {""}}).wantRedirect(path)
		if stored, _ = a.db.FindUserByID(bg, actorOf(a.st.Admin), u.ID); stored.TeamID != 0 {
			t.Errorf("team not cleared: %d", stored.TeamID)
		}
		audit := c.get("/admin/audit?action=user.update").wantStatus(http.StatusOK)
		if got := audit.find("tbody tr").Length(); got != 2 {
			t.Errorf("user.update audit entries: %d", got)
		}
		audit.wantContains("tbody tr:last-child", "display_name", "role", "team")
	})
}

func TestAdminCannotRemoveOwnAdminRole(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		self := idPath("/admin/users", int64(a.st.Admin.ID), "")
		c := a.login(a.st.Admin)
		page := c.get(self).wantStatus(http.StatusOK)
		page.wantContains("main", "C'est votre compte")
		if page.find(`form[action$="/deactivate"], form[action$="/reset-password"]`).Length() != 0 {
			t.Error("deactivate or reset forms offered on one's own account")
		}
		r := c.post(self, url.Values{"display_name": {a.st.Admin.DisplayName}, "role": {"mediateur"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("role", "")
		r.wantContains("main", "Vous ne pouvez pas retirer votre propre rôle d'administration")
		if r.find(`input[name=role][value=mediateur][checked]`).Length() != 1 {
			t.Error("submitted role not kept")
		}
		if u, _ := a.db.FindUserByID(bg, actorOf(a.st.Admin), a.st.Admin.ID); u.Role != maillon.RoleAdmin {
			t.Errorf("role changed to %s", u.Role)
		}
		// Renaming oneself is fine.
		c.post(self, url.Values{"display_name": {"Camille Admin"}, "role": {"admin"}}).wantRedirect(self)
		c.get("/").wantContains("h1", "Camille Admin")
	})
}

func TestUserDeactivateReactivate(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		u := a.st.Mediator
		path := idPath("/admin/users", int64(u.ID), "")
		mc := a.login(u)
		c := a.login(a.st.Admin)

		c.post(path+"/deactivate", nil).wantRedirect(path)
		page := c.get(path).wantStatus(http.StatusOK).wantFlash("désactivé et ses sessions fermées")
		page.wantContains(".summary-list", "Désactivé")
		if page.find(`form[action="`+path+`/reactivate"]`).Length() != 1 || page.find(`form[action="`+path+`/deactivate"]`).Length() != 0 {
			t.Error("deactivated account page does not offer reactivation only")
		}
		mc.get("/").wantRedirect("/login?next=%2F")
		anon := a.client()
		anon.get("/login")
		anon.post("/login", url.Values{"email": {u.Email}, "password": {storetest.Password}}).wantStatus(http.StatusUnauthorized)
		// Deactivating twice is harmless.
		c.post(path+"/deactivate", nil).wantRedirect(path)

		c.post(path+"/reactivate", nil).wantRedirect(path)
		c.get(path).wantFlash("Le compte a été réactivé").wantContains(".summary-list", "Actif")
		a.login(u).get("/").wantStatus(http.StatusOK)

		self := idPath("/admin/users", int64(a.st.Admin.ID), "")
		r := c.post(self+"/deactivate", nil).wantStatus(http.StatusUnprocessableEntity)
		if got := r.text(`.notice--error[role="alert"]`); !strings.Contains(got, "Vous ne pouvez pas désactiver votre propre compte") {
			t.Errorf("message = %q", got)
		}
		c.get("/").wantStatus(http.StatusOK) // still logged in

		audit := c.get("/admin/audit").wantStatus(http.StatusOK)
		audit.wantContains("tbody", "Désactivation d'un compte", "Réactivation d'un compte")
	})
}

func TestUserResetPassword(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		u := a.st.Coordinator
		c := a.login(a.st.Admin)
		r := c.post(idPath("/admin/users", int64(u.ID), "/reset-password"), nil).wantStatus(http.StatusOK)
		first := temporaryPassword(t, r)
		if r.find(`main a[href="`+idPath("/admin/users", int64(u.ID), "")+`"]`).Length() != 1 {
			t.Error("no link back to the account")
		}
		second := temporaryPassword(t, c.post(idPath("/admin/users", int64(u.ID), "/reset-password"), nil).wantStatus(http.StatusOK))
		if first == second {
			t.Error("two resets gave the same password")
		}
		anon := a.client()
		anon.get("/login")
		anon.post("/login", url.Values{"email": {u.Email}, "password": {first}}).wantStatus(http.StatusUnauthorized)
		a.signIn(u.Email, second).get("/").wantRedirect("/account/password")
		c.get("/admin/audit?action=user.password_reset").wantContains("tbody", "Réinitialisation d'un mot de passe")
	})
}

func TestUserIDsOutsideStructureAreNotFound(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Admin)
		theirs := idPath("/admin/users", int64(a.other.Mediator.ID), "")
		c.get(theirs).wantStatus(http.StatusNotFound)
		c.post(theirs, url.Values{"display_name": {"Volé"}, "role": {"admin"}}).wantStatus(http.StatusNotFound)
		for _, action := range []string{"/deactivate", "/reactivate", "/reset-password"} {
			c.post(theirs+action, nil).wantStatus(http.StatusNotFound)
			c.post("/admin/users/abc"+action, nil).wantStatus(http.StatusNotFound)
		}
		c.get("/admin/users/abc").wantStatus(http.StatusNotFound)
		c.get("/admin/users/0").wantStatus(http.StatusNotFound)
		a.login(a.other.Mediator).get("/").wantStatus(http.StatusOK)
		if u, _ := a.db.FindUserByID(bg, actorOf(a.other.Admin), a.other.Mediator.ID); u.DisplayName == "Volé" || u.MustChangePassword || !u.Active {
			t.Errorf("other structure's user changed: %+v", u)
		}
	})
}
