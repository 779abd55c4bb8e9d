package web_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

// newAzTerritoireFixtures adds a key figure, a diagnostic, a published
// item and a network feed token to a.st.
func newAzTerritoireFixtures(t *testing.T, fx *azFixtures) {
	t.Helper()
	ctx := context.Background()
	coord := storetest.Actor(fx.a.st.Coordinator)
	zone := maillon.AreaRef{ZoneID: maillon.ZoneID(fx.zone)}
	if _, err := fx.a.db.AddKeyFigure(ctx, coord, zone, maillon.KeyFigureInput{Label: "Chiffre Marqueur", Value: "12", Source: "INSEE", On: "2021"}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.a.db.SaveDiagnostic(ctx, coord, zone, maillon.DiagnosticInput{Needs: "Besoin Marqueur"}); err != nil {
		t.Fatal(err)
	}
	item, err := fx.a.db.CreateInfo(ctx, coord, maillon.InfoInput{Title: "Fiche Marqueur", Content: "Contenu Marqueur", Level: maillon.InfoReseau})
	if err != nil {
		t.Fatal(err)
	}
	fx.info = int64(item.ID)
	if fx.infoFeedToken, err = fx.a.db.CreateFeedToken(ctx, fx.admin, "Partenaire Marqueur"); err != nil {
		t.Fatal(err)
	}
	fx.markers = append(fx.markers, "Chiffre Marqueur", "Besoin Marqueur", "Fiche Marqueur", "Partenaire Marqueur")
}

// azTerritoireID returns the record of a territory, item or feed route;
// destructive routes get a fresh one.
func (fx *azFixtures) azTerritoireID(key string) int64 {
	ctx := context.Background()
	coord := storetest.Actor(fx.a.st.Coordinator)
	fx.known = ""
	switch {
	case strings.Contains(key, "/territoire/figures/"):
		f, err := fx.a.db.AddKeyFigure(ctx, coord, maillon.AreaRef{ZoneID: maillon.ZoneID(fx.zone)},
			maillon.KeyFigureInput{Label: "À retirer", Value: "1", Source: "S", On: "2020"})
		if err != nil {
			fx.t.Fatal(err)
		}
		return int64(f.ID)
	case strings.HasSuffix(key, "/validate"):
		i, err := fx.a.db.CreateInfo(ctx, storetest.Actor(fx.a.st.Mediator), maillon.InfoInput{Title: "Proposition", Content: "C", Level: maillon.InfoStructure})
		if err != nil {
			fx.t.Fatal(err)
		}
		return int64(i.ID)
	case strings.Contains(key, "/admin/flux/"):
		if _, err := fx.a.db.CreateFeedToken(ctx, fx.admin, "À retirer"); err != nil {
			fx.t.Fatal(err)
		}
		tokens, err := fx.a.db.FindFeedTokens(ctx, fx.admin)
		if err != nil {
			fx.t.Fatal(err)
		}
		return int64(tokens[0].ID)
	}
	return fx.info
}

// azFeedFile is the {file} of a feed route.
func (fx *azFixtures) azFeedFile(key string) string {
	if strings.Contains(key, "/reseau/") {
		return fx.infoFeedToken + ".atom"
	}
	return strconv.FormatInt(int64(fx.a.st.ID), 10) + ".atom"
}

// azTerritoireForm is a valid form for a territory or item route.
func (fx *azFixtures) azTerritoireForm(key string) url.Values {
	n := azSeq.Add(1)
	switch {
	case strings.HasSuffix(key, "/figures"):
		return url.Values{"label": {fmt.Sprintf("Chiffre %d", n)}, "value": {"3,5"}, "unit": {"%"}, "source": {"INSEE"}, "on": {"2022"}}
	case strings.HasSuffix(key, "/diagnostic"):
		return url.Values{"needs": {fmt.Sprintf("Besoins %d", n)}}
	case key == "POST /infos" || key == "POST /infos/{id}":
		return url.Values{"title": {fmt.Sprintf("Fiche %d", n)}, "content": {"Contenu"}, "level": {"structure"}}
	case strings.HasSuffix(key, "/review"):
		return url.Values{"next_review": {"2026-09-10"}}
	case key == "POST /admin/flux":
		return url.Values{"label": {fmt.Sprintf("Partenaire %d", n)}}
	}
	return url.Values{}
}

// azTerritoireState describes a.st's figures, diagnostics, items and feed
// tokens for the matrix's "nothing changed" check.
func azTerritoireState(t testing.TB, db *storetest.DB, op maillon.Actor) string {
	t.Helper()
	ctx := context.Background()
	terr, err := db.FindTerritory(ctx, op, op.StructureID)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range terr.Communes {
		refs := []maillon.AreaRef{{CommuneID: c.ID}}
		for _, z := range c.Zones {
			refs = append(refs, maillon.AreaRef{ZoneID: z.ID})
		}
		for _, ref := range refs {
			a, err := db.FindArea(ctx, op, ref)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, " area%v=%d figures", ref, len(a.Figures))
			if a.Diagnostic != nil {
				fmt.Fprintf(&b, ",diagnostic v%d", a.Diagnostic.Version)
			}
		}
	}
	items, err := db.FindInfos(ctx, op, maillon.InfoFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range items {
		fmt.Fprintf(&b, " info%d=%s/%s/%s/%v", i.ID, i.Title, i.Status, i.Level, i.ReviewOn)
	}
	adm := op
	adm.Role = maillon.RoleAdmin
	tokens, err := db.FindFeedTokens(ctx, adm)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tokens {
		fmt.Fprintf(&b, " token%d=%v", tk.ID, tk.RevokedAt)
	}
	return b.String()
}

// postFile posts a multipart form with one file.
func (c *client) postFile(path, field, name string, data []byte, fields url.Values) *response {
	c.a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf_token", c.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile(field, name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", c.a.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestTerritoryPages(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		admin := storetest.Actor(a.st.Admin)
		c, err := a.db.AddCommune(ctx, admin, a.st.ID, maillon.CommuneInput{INSEE: "69259", Name: "Vénissieux"})
		if err != nil {
			t.Fatal(err)
		}
		z, err := a.db.AddZone(ctx, admin, maillon.ZoneInput{CommuneID: c.ID, Name: "Les Minguettes", QPVCode: "QN06920M"})
		if err != nil {
			t.Fatal(err)
		}
		zonePath := "/territoire/zones/" + strconv.FormatInt(int64(z.ID), 10)
		coord, med := a.login(a.st.Coordinator), a.login(a.st.Mediator)

		r := med.get("/territoire").wantStatus(http.StatusOK)
		if r.find(`a[href="`+zonePath+`"]`).Length() != 1 || r.find(`nav a[href="/territoire"][aria-current]`).Length() != 1 {
			t.Errorf("overview: %s", r.text("main"))
		}
		r = med.get(zonePath).wantStatus(http.StatusOK)
		if r.find(`form[action="`+zonePath+`/figures"]`).Length() != 0 {
			t.Error("a mediator sees the figure form")
		}

		// A figure, then its error state.
		coord.get(zonePath)
		coord.post(zonePath+"/figures", url.Values{"label": {"Taux de pauvreté"}, "value": {"38,5"}, "unit": {"%"},
			"source": {"INSEE Filosofi"}, "on": {"2021"}}).wantRedirect(zonePath + "#chiffres")
		r = coord.post(zonePath+"/figures", url.Values{"label": {"Taux"}, "value": {"beaucoup"}, "source": {"INSEE"}, "on": {"31/02/2021"}})
		r.wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("value", "nombre")
		r.wantFieldError("on", "jj/mm/aaaa")

		// CSV import: a faulty file is refused with its line numbers.
		coord.get(zonePath)
		bad := "libellé;valeur;unité;source;date\nChômage;14,2;%;INSEE;2021\nAllocataires;beaucoup;;CAF;2023\n"
		r = coord.postFile(zonePath+"/figures/import", "file", "chiffres.csv", []byte(bad), nil)
		r.wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("file", "rien n'a été importé")
		if !strings.Contains(r.text(".notice--error"), "Ligne 3 :") {
			t.Errorf("report: %q", r.text(".notice--error"))
		}
		good := "\ufefflabel,value,unit,source,date\nChômage,\"14,2\",%,INSEE,2021\nAllocataires CAF,1200,foyers,CAF,31/12/2023\n"
		coord.postFile(zonePath+"/figures/import", "file", "chiffres.csv", []byte(good), nil).wantRedirect(zonePath + "#chiffres")

		// Diagnostic: two versions, the first kept.
		coord.post(zonePath+"/diagnostic", url.Values{"needs": {"Accès aux droits"}}).wantRedirect(zonePath + "#diagnostic")
		coord.post(zonePath+"/diagnostic", url.Values{"needs": {"Accès aux droits et au numérique"}, "issues": {"Rénovation urbaine"}})
		r = coord.post(zonePath+"/diagnostic", url.Values{"needs": {" "}})
		r.wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("needs", "au moins une partie")

		r = med.get(zonePath).wantStatus(http.StatusOK)
		if n := r.find(`#figures-caption`).Text(); !strings.HasPrefix(n, "3 chiffres clés") {
			t.Errorf("figures caption = %q", n)
		}
		if !strings.Contains(r.text("#diagnostic ~ *, main"), "Version 2") || r.find("details summary:contains('Version 1')").Length() != 1 {
			t.Errorf("diagnostic versions: %s", r.text("main"))
		}
		if r := med.get("/territoire/communes/" + strconv.FormatInt(int64(c.ID), 10)); r.status != http.StatusOK {
			t.Errorf("commune page: %d", r.status)
		}
		a.login(a.other.Admin).get(zonePath).wantStatus(http.StatusNotFound)

		// The communes import of the administration.
		ac := a.login(a.st.Admin)
		ac.get("/admin/territory").wantStatus(http.StatusOK)
		r = ac.postFile("/admin/territory/import", "cog_file", "communes.csv", []byte("COM;LIBELLE\n6925;Vénissieux\n"), nil)
		r.wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("cog_file", "rien n'a été importé")
		r = ac.postFile("/admin/territory/import", "cog_file", "communes.csv", []byte("COM;LIBELLE\n69259;Vénissieux\n"), url.Values{"department": {"999"}})
		r.wantFieldError("department", "2 ou 3 caractères")
		cog := "TYPECOM,COM,DEP,LIBELLE,PMUN\nCOM,69259,69,Vénissieux,66506\nCOM,69199,69,Saint-Fons,19290\nCOM,13055,13,Marseille,870000\n"
		ac.postFile("/admin/territory/import", "cog_file", "communes.csv", []byte(cog), url.Values{"department": {"69"}}).wantRedirect("/admin/territory")
		if r := ac.get("/territoire"); !strings.Contains(r.text("main"), "Saint-Fons") || strings.Contains(r.text("main"), "Marseille") {
			t.Errorf("after import: %s", r.text("main"))
		}
	})
}

func TestInfoPagesAndFeeds(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		coord, med, ac := a.login(a.st.Coordinator), a.login(a.st.Mediator), a.login(a.st.Admin)

		coord.get("/infos/new").wantStatus(http.StatusOK)
		r := coord.post("/infos", url.Values{"title": {""}, "content": {"x"}, "level": {"secret"}, "link": {"javascript:alert(1)"}, "themes": {"logement"}})
		r.wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("title", "titre")
		r.wantFieldError("link", "https://")
		r.wantFieldError("level", "Choisissez")
		if v, _ := r.find(`input[name="themes"][value="logement"]`).Attr("checked"); r.find(`input[name="themes"][value="logement"][checked]`).Length() != 1 {
			t.Errorf("checked theme lost: %q", v)
		}
		ids := map[string]string{}
		for _, level := range []string{"equipe", "structure", "reseau", "public"} {
			r := coord.post("/infos", url.Values{"title": {"Fiche <" + level + ">"}, "content": {"Permanence & accueil, mardi 9 h."},
				"level": {level}, "themes": {"droits_sociaux", "logement"}, "source": {"CAF"}, "link": {"https://caf.exemple.fr/?a=1&b=2"}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("create %s: %d %s", level, r.status, r.text("main"))
			}
			ids[level] = r.header.Get("Location")
		}
		if r := coord.get("/infos?theme=logement"); r.find("tbody tr").Length() != 4 {
			t.Errorf("theme filter: %d rows", r.find("tbody tr").Length())
		}
		if r := coord.get("/infos?theme=sante"); r.find("tbody tr").Length() != 0 {
			t.Errorf("theme filter without items: %d rows", r.find("tbody tr").Length())
		}
		r = med.post("/infos", url.Values{"title": {"Proposition"}, "content": {"À valider"}, "level": {"public"}})
		prop := r.header.Get("Location")
		if r.status != http.StatusSeeOther {
			t.Fatalf("proposal: %d", r.status)
		}
		med.get(prop + "/edit").wantStatus(http.StatusOK)
		med.get(ids["public"] + "/edit").wantStatus(http.StatusForbidden)
		if r := coord.get("/infos/a-revoir"); !strings.Contains(r.text("main"), "Proposition") {
			t.Errorf("review list: %s", r.text("main"))
		}
		coord.get(prop)
		coord.post(prop+"/validate", nil).wantRedirect(prop)

		// A mediator proposes an update of a published item, from the
		// item's page; validating it updates the item.
		r = med.get(ids["public"]).wantStatus(http.StatusOK)
		href, _ := r.find(`a[href^="/infos/new?replaces="]`).Attr("href")
		r = med.get(href).wantStatus(http.StatusOK)
		if v, _ := r.find(`input[name="title"]`).Attr("value"); v != "Fiche <public>" {
			t.Errorf("the update form starts from %q", v)
		}
		replaces, _ := r.find(`input[name="replaces"]`).Attr("value")
		r = med.post("/infos", url.Values{"title": {"Fiche <public> mise à jour"}, "content": {"Nouveaux horaires."}, "level": {"public"}, "replaces": {replaces}})
		upd := r.header.Get("Location")
		if r.status != http.StatusSeeOther || upd == ids["public"] {
			t.Fatalf("proposed update: %d to %q", r.status, upd)
		}
		coord.get(upd)
		coord.post(upd+"/validate", nil).wantRedirect(ids["public"])
		if r := med.get(ids["public"]); r.text("h1") != "Fiche <public> mise à jour" {
			t.Errorf("after validation: %q", r.text("h1"))
		}
		r = coord.post(ids["structure"]+"/review", url.Values{"next_review": {"2020-01-01"}})
		r.wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("next_review", "après aujourd'hui")
		coord.get(ids["structure"] + "/edit").wantStatus(http.StatusOK)
		r = coord.post(ids["structure"], url.Values{"title": {"Fiche modifiée"}, "content": {"x"}, "level": {"structure"}, "place": {"z999"}})
		r.wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("place", "quartier")
		// The "équipe" item of a coordinator with no team is the
		// coordination's: the mediator does not see it.
		if r := med.get("/infos"); r.find("tbody tr").Length() != 4 || strings.Contains(r.text("main"), "<equipe>") {
			t.Errorf("mediator's list has %d rows", r.find("tbody tr").Length())
		}
		if r := coord.get("/infos?level=equipe"); r.find("tbody tr").Length() != 1 {
			t.Errorf("coordinator's équipe list has %d rows", r.find("tbody tr").Length())
		}
		med.get("/infos?level=zzz").wantStatus(http.StatusUnprocessableEntity)
		if r := med.get("/infos/synthese"); r.find("article.digest-item").Length() != 4 {
			t.Errorf("digest: %d items", r.find("article.digest-item").Length())
		}
		med.get("/infos/synthese?from=2026-03-10&to=2026-01-01").wantStatus(http.StatusUnprocessableEntity).wantFieldError("to", "un an")

		// The public feed: public items only, valid Atom.
		anon := a.client()
		r = anon.get("/flux/public/" + strconv.FormatInt(int64(a.st.ID), 10) + ".atom").wantStatus(http.StatusOK)
		feed := checkAtom(t, r)
		if len(feed.Entries) != 2 {
			t.Errorf("public feed has %d entries, want 2", len(feed.Entries))
		}
		for _, e := range feed.Entries {
			if strings.Contains(e.Title, "reseau") || strings.Contains(e.Title, "equipe") {
				t.Errorf("public feed shows %q", e.Title)
			}
		}
		anon.get("/flux/public/999999.atom").wantStatus(http.StatusNotFound)
		anon.get("/flux/public/" + strconv.FormatInt(int64(a.st.ID), 10) + ".rss").wantStatus(http.StatusNotFound)

		// The network feed: a secret address, shown once, revocable.
		ac.get("/admin/flux")
		r = ac.post("/admin/flux", url.Values{"label": {"CCAS"}}).wantStatus(http.StatusOK)
		link, _ := r.find("#new-feed-url").Attr("value")
		u, err := url.Parse(link)
		if err != nil || !strings.HasPrefix(u.Path, "/flux/reseau/") {
			t.Fatalf("network feed address %q", link)
		}
		r = anon.get(u.Path).wantStatus(http.StatusOK)
		if feed := checkAtom(t, r); len(feed.Entries) != 3 {
			t.Errorf("network feed has %d entries, want 3", len(feed.Entries))
		}
		if strings.Contains(r.body, strings.TrimSuffix(strings.TrimPrefix(u.Path, "/flux/reseau/"), ".atom")+"\"") && !strings.Contains(r.body, `rel="self"`) {
			t.Error("token outside the self link")
		}
		if r.header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("network feed cache: %q", r.header.Get("Cache-Control"))
		}
		r = ac.get("/admin/flux")
		if r.find("#new-feed-url").Length() != 0 {
			t.Error("the address is shown twice")
		}
		ac.post("/admin/flux", url.Values{"label": {""}}).wantFieldError("label", "partenaire")
		action, _ := r.find(`form[action^="/admin/flux/"]`).First().Attr("action")
		ac.post(action, nil).wantRedirect("/admin/flux")
		anon.get(u.Path).wantStatus(http.StatusNotFound)
		if strings.Contains(a.logs.String(), strings.TrimPrefix(u.Path, "/flux/reseau/")) {
			t.Error("the network feed token is in the logs")
		}
	})
}

// atomDoc is what the test reads of an Atom document.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

// checkAtom parses an Atom feed with encoding/xml and checks the elements
// RFC 4287 requires.
func checkAtom(t *testing.T, r *response) atomDoc {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	var d atomDoc
	dec := xml.NewDecoder(strings.NewReader(r.body))
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("feed is not valid XML: %v\n%s", err, r.body)
	}
	if d.ID == "" || d.Title == "" || d.Updated == "" || d.Author.Name == "" {
		t.Errorf("feed lacks id, title, updated or author: %+v", d)
	}
	self := false
	for _, l := range d.Links {
		self = self || (l.Rel == "self" && strings.HasPrefix(l.Href, "http"))
	}
	if !self {
		t.Errorf("feed lacks its self link: %+v", d.Links)
	}
	for _, e := range d.Entries {
		if e.ID == "" || e.Title == "" || e.Updated == "" || e.Content.Type != "text" || e.Content.Body == "" || len(e.Links) == 0 {
			t.Errorf("entry lacks a required element: %+v", e)
		}
		if !strings.HasPrefix(e.ID, "tag:") {
			t.Errorf("entry id %q is not a tag URI", e.ID)
		}
	}
	return d
}

// Ensure the territory and item pages and their error states meet the
// basics.
func TestAccessibilityBasicsOfTerritory(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		a11yFixture(t, a)
		fx := &azFixtures{t: t, a: a, admin: storetest.Actor(a.st.Admin)}
		terr, err := a.db.FindTerritory(bg, fx.admin, a.st.ID)
		if err != nil {
			t.Fatal(err)
		}
		fx.zone = int64(terr.Communes[0].Zones[0].ID)
		newAzTerritoireFixtures(t, fx)
		zonePath := "/territoire/zones/" + strconv.FormatInt(fx.zone, 10)
		infoPath := "/infos/" + strconv.FormatInt(fx.info, 10)
		c := a.login(a.st.Coordinator)
		for _, p := range []string{"/territoire", zonePath, "/territoire/communes/" + strconv.FormatInt(int64(terr.Communes[0].ID), 10),
			"/infos", "/infos/new", infoPath, infoPath + "/edit", "/infos/a-revoir", "/infos/synthese"} {
			checkA11y(t, "GET "+p, c.get(p).wantStatus(http.StatusOK))
		}
		for _, tc := range []struct{ path, field string }{
			{zonePath + "/figures", "label"}, {zonePath + "/diagnostic", "needs"}, {"/infos", "title"},
			{infoPath, "title"}, {infoPath + "/review", "next_review"},
		} {
			form := url.Values{tc.field: {strings.Repeat("x", 6000)}}
			if tc.field == "next_review" {
				form = url.Values{tc.field: {"demain"}}
			}
			r := c.post(tc.path, form).wantStatus(http.StatusUnprocessableEntity)
			checkA11y(t, "POST "+tc.path, r)
		}
		checkA11y(t, "figures import in error", c.postFile(zonePath+"/figures/import", "file", "x.csv", []byte("a;b\n"), nil).wantStatus(http.StatusUnprocessableEntity))
		checkA11y(t, "digest in error", c.get("/infos/synthese?from=hier").wantStatus(http.StatusUnprocessableEntity))
		ac := a.login(a.st.Admin)
		checkA11y(t, "feeds", ac.get("/admin/flux").wantStatus(http.StatusOK))
		checkA11y(t, "feed address", ac.post("/admin/flux", url.Values{"label": {"CCAS"}}).wantStatus(http.StatusOK))
		checkA11y(t, "feeds in error", ac.post("/admin/flux", url.Values{"label": {""}}).wantStatus(http.StatusUnprocessableEntity))
		ac.get("/admin/territory")
		checkA11y(t, "communes import in error", ac.postFile("/admin/territory/import", "cog_file", "x.csv", []byte("COM;LIBELLE\n1;X\n"), nil).wantStatus(http.StatusUnprocessableEntity))
	})
}
