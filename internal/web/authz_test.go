package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

// The actors of the authorisation matrix, in the order of the columns of
// the expected table. The administrator of the structure acts last on each
// route, so that what the others see is decided before any change.
const (
	azAnonymous   = iota // no session
	azMediator           // mediateur of a.st
	azCoordinator        // coordinateur of a.st
	azOther              // admin of a.other, acting on a.st's records
	azAdmin              // admin of a.st
	azActors
)

var azActorNames = [azActors]string{"anonyme", "médiateur", "coordinateur", "admin d'une autre structure", "admin"}

// azWant is the expected status of a route for each actor, in the order
// anonymous, mediateur, coordinateur, other structure's admin, admin.
type azWant [azActors]int

// TestAuthorizationMatrix requests every route of the route table as every
// kind of actor and checks the status against an explicit table. A route
// added to routes.go without a decision here fails the test.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	const (
		ok       = http.StatusOK
		redirect = http.StatusSeeOther
		unauth   = http.StatusUnauthorized
		denied   = http.StatusForbidden
		notFound = http.StatusNotFound
		invalid  = http.StatusUnprocessableEntity
	)
	// Conventions: an anonymous GET of a member page redirects to the login
	// form (303), an anonymous POST is 401; mediators and coordinators get
	// 403 on administration pages; the admin of another structure sees 404
	// for every record of a.st (the same answer as for an ID that does not
	// exist) and works on their own structure otherwise.
	expected := map[string]azWant{
		// anonymous, mediateur, coordinateur, other structure's admin, admin
		"GET /static/": {notFound, notFound, notFound, notFound, notFound},
		"GET /healthz": {ok, ok, ok, ok, ok},
		"GET /metrics": {ok, ok, ok, ok, ok}, // from loopback

		"GET /setup":  {notFound, notFound, notFound, notFound, notFound}, // users exist
		"POST /setup": {notFound, notFound, notFound, notFound, notFound},
		"GET /login":  {ok, redirect, redirect, redirect, redirect},
		"POST /login": {redirect, redirect, redirect, redirect, redirect},

		"POST /logout":                    {unauth, redirect, redirect, redirect, redirect},
		"GET /{$}":                        {redirect, ok, ok, ok, ok},
		"GET /account":                    {redirect, ok, ok, ok, ok},
		"GET /account/password":           {redirect, ok, ok, ok, ok},
		"POST /account/password":          {unauth, redirect, redirect, redirect, redirect},
		"POST /account/logout-everywhere": {unauth, redirect, redirect, redirect, redirect},

		"GET /admin":                                 {redirect, denied, denied, ok, ok},
		"GET /admin/structure":                       {redirect, denied, denied, ok, ok},
		"POST /admin/structure":                      {unauth, denied, denied, redirect, redirect}, // other: their own structure
		"GET /admin/territory":                       {redirect, denied, denied, ok, ok},
		"POST /admin/territory/communes":             {unauth, denied, denied, redirect, redirect},
		"POST /admin/territory/communes/{id}/delete": {unauth, denied, denied, notFound, redirect},
		// The commune is a form field: another structure's commune is
		// refused like one that does not exist.
		"POST /admin/territory/zones":             {unauth, denied, denied, invalid, redirect},
		"POST /admin/territory/zones/{id}/delete": {unauth, denied, denied, notFound, redirect},
		"GET /admin/teams":                        {redirect, denied, denied, ok, ok},
		"POST /admin/teams":                       {unauth, denied, denied, redirect, redirect},
		"GET /admin/teams/{id}":                   {redirect, denied, denied, notFound, ok},
		"POST /admin/teams/{id}":                  {unauth, denied, denied, notFound, redirect},
		"POST /admin/teams/{id}/delete":           {unauth, denied, denied, notFound, redirect},
		"GET /admin/users":                        {redirect, denied, denied, ok, ok},
		"GET /admin/users/new":                    {redirect, denied, denied, ok, ok},
		// The form names a team of a.st: refused for another structure.
		"POST /admin/users":                     {unauth, denied, denied, invalid, ok},
		"GET /admin/users/{id}":                 {redirect, denied, denied, notFound, ok},
		"POST /admin/users/{id}":                {unauth, denied, denied, notFound, redirect},
		"POST /admin/users/{id}/deactivate":     {unauth, denied, denied, notFound, redirect},
		"POST /admin/users/{id}/reactivate":     {unauth, denied, denied, notFound, redirect},
		"POST /admin/users/{id}/reset-password": {unauth, denied, denied, notFound, ok},
		"GET /admin/audit":                      {redirect, denied, denied, ok, ok},

		"GET /interventions":     {redirect, ok, ok, ok, ok},
		"GET /interventions/new": {redirect, ok, ok, ok, ok},
		// The form names a mediator and a person of a.st: refused for
		// another structure like unknown ones.
		"POST /interventions":                {unauth, redirect, redirect, invalid, redirect},
		"GET /interventions/{id}":            {redirect, ok, ok, notFound, ok},
		"GET /interventions/{id}/edit":       {redirect, ok, ok, notFound, ok}, // the mediator is one of its mediators
		"POST /interventions/{id}":           {unauth, redirect, redirect, notFound, redirect},
		"POST /interventions/{id}/followup":  {unauth, redirect, redirect, notFound, redirect},
		"GET /followups":                     {redirect, ok, ok, ok, ok},
		"GET /admin/procedures":              {redirect, denied, denied, ok, ok},
		"POST /admin/procedures":             {unauth, denied, denied, redirect, redirect}, // other: their own catalogue
		"POST /admin/procedures/{id}/active": {unauth, denied, denied, notFound, redirect},

		"GET /tournees":     {redirect, ok, ok, ok, ok},
		"GET /tournees/new": {redirect, ok, ok, ok, ok},
		// The form names a quartier and members of a.st.
		"POST /tournees":     {unauth, redirect, redirect, invalid, redirect},
		"GET /tournees/{id}": {redirect, ok, ok, notFound, ok},
		// The mediator is a member of the fixture tournée; the store also
		// refuses a mediator who is not (tested there).
		"POST /tournees/{id}/counters":     {unauth, redirect, redirect, notFound, redirect},
		"POST /tournees/{id}/observations": {unauth, redirect, redirect, notFound, redirect},
		"POST /tournees/{id}/end":          {unauth, redirect, redirect, notFound, redirect},
		"GET /checkins/new":                {redirect, ok, ok, ok, ok},
		// The form names a commune of a.st.
		"POST /checkins": {unauth, redirect, redirect, invalid, redirect},
		// The check-in is the mediator's own: only they close or extend
		// it; the coordination closes it once they reached them.
		"POST /checkins/{id}/checkout":    {unauth, redirect, denied, notFound, denied},
		"POST /checkins/{id}/extend":      {unauth, redirect, denied, notFound, denied},
		"POST /checkins/{id}/acknowledge": {unauth, denied, redirect, notFound, redirect},

		"GET /people":     {redirect, ok, ok, ok, ok},
		"GET /people/new": {redirect, ok, ok, ok, ok},
		// The form names a team of a.st: refused for another structure.
		"POST /people":                              {unauth, redirect, redirect, invalid, redirect},
		"GET /people/{id}":                          {redirect, ok, ok, notFound, ok},
		"GET /people/{id}/edit":                     {redirect, ok, ok, notFound, ok},
		"POST /people/{id}":                         {unauth, redirect, redirect, notFound, redirect},
		"GET /people/{id}/summary":                  {redirect, ok, ok, notFound, ok},
		"POST /people/{id}/archive":                 {unauth, redirect, redirect, notFound, redirect},
		"POST /people/{id}/restore":                 {unauth, redirect, redirect, notFound, redirect},
		"POST /people/{id}/consents":                {unauth, redirect, redirect, notFound, redirect},
		"POST /people/{id}/consents/{cid}/withdraw": {unauth, redirect, redirect, notFound, redirect},
		"POST /people/{id}/autonomy":                {unauth, redirect, redirect, notFound, redirect},
		"POST /people/{id}/notes":                   {unauth, redirect, redirect, notFound, redirect},
		"POST /people/{id}/merge":                   {unauth, denied, redirect, notFound, redirect}, // coordination

		// Each opens their own default day; the form names a team of
		// a.st, unknown to another structure.
		"GET /journal":          {redirect, ok, ok, ok, ok},
		"POST /journal/comment": {unauth, denied, redirect, notFound, redirect}, // coordination

		"GET /orientations":     {redirect, ok, ok, ok, ok},
		"GET /orientations/new": {redirect, ok, ok, ok, ok},
		// The form names a person of a.st: refused for another structure.
		"POST /orientations":                  {unauth, redirect, redirect, invalid, redirect},
		"GET /orientations/{id}":              {redirect, ok, ok, notFound, ok},
		"POST /orientations/{id}/status":      {unauth, redirect, redirect, notFound, redirect}, // the mediator is its author
		"POST /orientations/{id}/link":        {unauth, ok, ok, notFound, ok},                   // the page shows the link once
		"POST /orientations/{id}/link/revoke": {unauth, redirect, redirect, notFound, redirect},
		// The partner's page: the token is the credential, whoever holds
		// it (TestPartnerLinkReachesNothingElse checks it opens nothing
		// else).
		"GET /p/o/{token}":  {ok, ok, ok, ok, ok},
		"POST /p/o/{token}": {redirect, redirect, redirect, redirect, redirect},

		// The journal of practice: the note is the mediator's, and its
		// author's alone — the coordinator and the administrator of the
		// same structure get 404 like anyone else. The session is a.st's,
		// recorded by the mediator; its form names a.st's mediator as
		// attendee, refused to another structure.
		"GET /pratique":                    {redirect, ok, ok, ok, ok},
		"GET /pratique/notes/new":          {redirect, ok, ok, ok, ok},
		"POST /pratique/notes":             {unauth, redirect, redirect, redirect, redirect},
		"GET /pratique/notes/{id}":         {redirect, ok, notFound, notFound, notFound},
		"GET /pratique/notes/{id}/edit":    {redirect, ok, notFound, notFound, notFound},
		"POST /pratique/notes/{id}":        {unauth, redirect, notFound, notFound, notFound},
		"GET /pratique/notes/{id}/delete":  {redirect, ok, notFound, notFound, notFound},
		"POST /pratique/notes/{id}/delete": {unauth, redirect, notFound, notFound, notFound},
		"GET /pratique/seances":            {redirect, ok, ok, ok, ok},
		"GET /pratique/seances/new":        {redirect, ok, ok, ok, ok},
		"POST /pratique/seances":           {unauth, redirect, redirect, invalid, redirect},
		"GET /pratique/seances/{id}/edit":  {redirect, ok, ok, notFound, ok},
		"POST /pratique/seances/{id}":      {unauth, redirect, redirect, notFound, redirect},

		"GET /agenda":     {redirect, ok, ok, ok, ok}, // each opens their own week
		"GET /agenda/new": {redirect, ok, ok, ok, ok},
		// The form names a mediator of a.st: refused for another structure.
		"POST /agenda":                 {unauth, redirect, redirect, invalid, redirect},
		"GET /agenda/{id}":             {redirect, ok, ok, notFound, ok},
		"POST /agenda/{id}/attendance": {unauth, redirect, redirect, notFound, redirect}, // the mediator is its mediator
		"POST /agenda/{id}/cancel":     {unauth, redirect, redirect, notFound, redirect},
		"GET /agenda/{id}/card":        {redirect, ok, ok, notFound, ok},
		"GET /agenda/{id}/export.ics":  {redirect, ok, ok, notFound, ok},
		// Editing and deleting follow the attendance rights: the
		// mediator is one of its mediators.
		"GET /agenda/{id}/edit":    {redirect, ok, ok, notFound, ok},
		"POST /agenda/{id}/edit":   {unauth, redirect, redirect, notFound, redirect},
		"GET /agenda/{id}/delete":  {redirect, ok, ok, notFound, ok},
		"POST /agenda/{id}/delete": {unauth, redirect, redirect, notFound, redirect},
		// The actor's own feed: created (shown once), then revoked.
		"POST /agenda/feed":        {unauth, ok, ok, ok, ok},
		"POST /agenda/feed/revoke": {unauth, redirect, redirect, redirect, redirect},
		// A mediator's iCal feed: the token is the credential, whoever
		// holds it.
		"GET /ical/{file}":    {ok, ok, ok, ok, ok},
		"GET /mediations":     {redirect, ok, ok, ok, ok},
		"GET /mediations/new": {redirect, ok, ok, ok, ok},
		// The form names a person of a.st: refused for another structure.
		"POST /mediations": {unauth, redirect, redirect, invalid, redirect},
		// The mediator opened the fixture case; another structure's
		// admin never sees it.
		"GET /mediations/{id}":              {redirect, ok, ok, notFound, ok},
		"GET /mediations/{id}/agreement":    {redirect, ok, ok, notFound, ok},
		"POST /mediations/{id}/status":      {unauth, redirect, redirect, notFound, redirect},
		"POST /mediations/{id}/parties":     {unauth, redirect, redirect, notFound, redirect},
		"POST /mediations/{id}/consent":     {unauth, redirect, redirect, notFound, redirect},
		"POST /mediations/{id}/steps":       {unauth, redirect, redirect, notFound, redirect},
		"POST /mediations/{id}/commitments": {unauth, redirect, redirect, notFound, redirect},
		"POST /mediations/{id}/followup":    {unauth, redirect, redirect, notFound, redirect},

		// Veille sociale: every member reads and creates (the other
		// structure's admin creates in their own); coordination edits.
		"GET /veille":                        {redirect, ok, ok, ok, ok},
		"GET /veille/observations/new":       {redirect, ok, ok, ok, ok},
		"POST /veille/observations":          {unauth, redirect, redirect, redirect, redirect},
		"GET /veille/observations/{id}":      {redirect, ok, ok, notFound, ok},
		"GET /veille/observations/{id}/edit": {redirect, denied, ok, notFound, ok},
		"POST /veille/observations/{id}":     {unauth, denied, redirect, notFound, redirect},
		"GET /veille/reseaux":                {redirect, ok, ok, ok, ok},
		"GET /veille/reseaux/new":            {redirect, ok, ok, ok, ok},
		"POST /veille/reseaux":               {unauth, redirect, redirect, redirect, redirect},
		"GET /veille/reseaux/{id}":           {redirect, ok, ok, notFound, ok},
		"POST /veille/reseaux/{id}/status":   {unauth, denied, redirect, notFound, redirect},
		"GET /veille/technique":              {redirect, ok, ok, ok, ok},
		"GET /veille/technique/new":          {redirect, ok, ok, ok, ok},
		"POST /veille/technique":             {unauth, redirect, redirect, redirect, redirect},
		"GET /veille/technique/{id}":         {redirect, ok, ok, notFound, ok},
		"POST /veille/technique/{id}/status": {unauth, denied, redirect, notFound, redirect},
		"GET /veille/remontees":              {redirect, ok, ok, ok, ok},
		"POST /veille/remontees":             {unauth, denied, redirect, redirect, redirect},
		"GET /veille/remontees/{id}":         {redirect, ok, ok, notFound, ok},
		// Territory pages: read by every member, changed by the
		// coordination; no file in the import form is refused after the
		// area is found.
		"GET /territoire":                               {redirect, ok, ok, ok, ok},
		"GET /territoire/communes/{id}":                 {redirect, ok, ok, notFound, ok},
		"GET /territoire/zones/{id}":                    {redirect, ok, ok, notFound, ok},
		"POST /territoire/communes/{id}/figures":        {unauth, denied, redirect, notFound, redirect},
		"POST /territoire/zones/{id}/figures":           {unauth, denied, redirect, notFound, redirect},
		"POST /territoire/communes/{id}/figures/import": {unauth, denied, invalid, notFound, invalid},
		"POST /territoire/zones/{id}/figures/import":    {unauth, denied, invalid, notFound, invalid},
		"POST /territoire/figures/{id}/delete":          {unauth, denied, redirect, notFound, redirect},
		"POST /territoire/communes/{id}/diagnostic":     {unauth, denied, redirect, notFound, redirect},
		"POST /territoire/zones/{id}/diagnostic":        {unauth, denied, redirect, notFound, redirect},
		"POST /admin/territory/import":                  {unauth, denied, denied, invalid, invalid}, // no file
		// Information items: the fixture is a published item of the
		// coordination, which a mediator reads but does not edit.
		"GET /infos":                   {redirect, ok, ok, ok, ok},
		"GET /infos/new":               {redirect, ok, ok, ok, ok},
		"POST /infos":                  {unauth, redirect, redirect, redirect, redirect}, // other: their own structure
		"GET /infos/a-revoir":          {redirect, denied, ok, ok, ok},
		"GET /infos/synthese":          {redirect, ok, ok, ok, ok},
		"GET /infos/{id}":              {redirect, ok, ok, notFound, ok},
		"GET /infos/{id}/edit":         {redirect, denied, ok, notFound, ok},
		"POST /infos/{id}":             {unauth, denied, redirect, notFound, redirect},
		"POST /infos/{id}/validate":    {unauth, denied, redirect, notFound, redirect},
		"POST /infos/{id}/review":      {unauth, denied, redirect, notFound, redirect},
		"GET /admin/flux":              {redirect, denied, denied, ok, ok},
		"POST /admin/flux":             {unauth, denied, denied, ok, ok}, // the page shows the address once
		"POST /admin/flux/{id}/revoke": {unauth, denied, denied, notFound, redirect},
		// Feeds: the public one is public; the network one's token is the
		// credential, whoever holds it.
		"GET /flux/public/{file}": {ok, ok, ok, ok, ok},
		"GET /flux/reseau/{file}": {ok, ok, ok, ok, ok},
		// The partner directory: each structure reads its own; the
		// other structure's admin gets their own (empty) list and export.
		"GET /annuaire":                            {redirect, ok, ok, ok, ok},
		"GET /annuaire/export":                     {redirect, ok, ok, ok, ok},
		"GET /annuaire/revue":                      {redirect, denied, ok, ok, ok},
		"GET /annuaire/structures/{id}":            {redirect, ok, ok, notFound, ok},
		"POST /annuaire/structures/{id}/verify":    {unauth, denied, redirect, notFound, redirect},
		"POST /annuaire/structures/{id}/proposals": {unauth, redirect, redirect, notFound, redirect},
		"POST /annuaire/structures/{id}/contacts":  {unauth, denied, redirect, notFound, redirect},
		"POST /annuaire/structures/{id}/relations": {unauth, denied, redirect, notFound, redirect},
		"POST /annuaire/structures/{id}/temporary": {unauth, denied, redirect, notFound, redirect},
		"POST /annuaire/proposals/{id}/close":      {unauth, denied, redirect, notFound, redirect},
		// Exports: every member downloads (their own scope); the other
		// structure's admin exports their own structure.
		"GET /exports":  {redirect, ok, ok, ok, ok},
		"POST /exports": {unauth, ok, ok, ok, ok},
		// Directory upload, editing and links (annuaire2): the upload is
		// the administration's; the other admin imports into their own.
		"GET /annuaire/import":                       {redirect, denied, denied, ok, ok},
		"POST /annuaire/import":                      {unauth, denied, denied, invalid, invalid}, // no file in the matrix
		"GET /annuaire/structures/new":               {redirect, denied, ok, ok, ok},
		"POST /annuaire/structures":                  {unauth, denied, redirect, redirect, redirect},
		"GET /annuaire/structures/{id}/edit":         {redirect, denied, ok, notFound, ok},
		"POST /annuaire/structures/{id}":             {unauth, denied, redirect, notFound, redirect},
		"GET /annuaire/structures/{id}/services/new": {redirect, denied, ok, notFound, ok},
		"POST /annuaire/structures/{id}/services":    {unauth, denied, redirect, notFound, redirect},
		"GET /annuaire/services/{id}/edit":           {redirect, denied, ok, notFound, ok},
		"POST /annuaire/services/{id}":               {unauth, denied, redirect, notFound, redirect},
		"POST /annuaire/contacts/{id}/delete":        {unauth, denied, redirect, notFound, redirect},
		"POST /annuaire/settings":                    {unauth, denied, redirect, redirect, redirect},

		// Collective actions: the project is the mediator's, running; the
		// coordination sees all; another structure gets 404. The
		// questionnaire link's page is public; its form carries a token
		// derived from the link.
		"GET /activites":                                    {redirect, ok, ok, ok, ok},
		"GET /activites/new":                                {redirect, ok, ok, ok, ok},
		"POST /activites":                                   {unauth, redirect, redirect, redirect, redirect}, // other: their own
		"GET /activites/{id}":                               {redirect, ok, ok, notFound, ok},
		"GET /activites/{id}/edit":                          {redirect, ok, ok, notFound, ok},
		"POST /activites/{id}":                              {unauth, redirect, redirect, notFound, redirect},
		"POST /activites/{id}/status":                       {unauth, redirect, redirect, notFound, redirect},
		"POST /activites/{id}/objectifs":                    {unauth, redirect, redirect, notFound, redirect},
		"POST /activites/{id}/partenaires":                  {unauth, redirect, redirect, notFound, redirect},
		"POST /activites/{id}/budget":                       {unauth, redirect, redirect, notFound, redirect},
		"POST /activites/{id}/depenses":                     {unauth, redirect, redirect, notFound, redirect},
		"POST /activites/{id}/ajustements":                  {unauth, redirect, redirect, notFound, redirect},
		"GET /activites/{id}/evaluation":                    {redirect, ok, ok, notFound, ok},
		"POST /activites/{id}/evaluation":                   {unauth, redirect, redirect, notFound, redirect},
		"GET /activites/{id}/bilan":                         {redirect, ok, ok, notFound, ok},
		"GET /activites/{id}/seances/new":                   {redirect, ok, ok, notFound, ok},
		"POST /activites/{id}/seances":                      {unauth, redirect, redirect, notFound, redirect},
		"GET /activites/{id}/seances/{sid}":                 {redirect, ok, ok, notFound, ok},
		"GET /activites/{id}/seances/{sid}/edit":            {redirect, ok, ok, notFound, ok},
		"POST /activites/{id}/seances/{sid}":                {unauth, redirect, redirect, notFound, redirect},
		"POST /activites/{id}/seances/{sid}/inscriptions":   {unauth, redirect, redirect, notFound, redirect},
		"POST /activites/{id}/seances/{sid}/desinscription": {unauth, redirect, redirect, notFound, redirect},
		"POST /activites/{id}/seances/{sid}/presences":      {unauth, redirect, redirect, notFound, redirect},
		"POST /activites/{id}/seances/{sid}/lien":           {unauth, ok, ok, notFound, ok}, // shows the new link once
		"POST /activites/{id}/seances/{sid}/reponses":       {unauth, redirect, redirect, notFound, redirect},
		"GET /activites/{id}/seances/{sid}/emargement":      {redirect, ok, ok, notFound, ok},
		"GET /activites/{id}/seances/{sid}/affiche":         {redirect, ok, ok, notFound, ok},
		"GET /activites/{id}/seances/{sid}/questionnaire":   {redirect, ok, ok, notFound, ok},
		"GET /q/{token}":                                    {ok, ok, ok, ok, ok},
		"POST /q/{token}":                                   {redirect, redirect, redirect, redirect, redirect},
		// Reports and dashboards (rendre compte): every member sees the
		// figures their role allows.
		"GET /rapports":                      {redirect, ok, ok, ok, ok},
		"GET /rapports/activite":             {redirect, ok, ok, ok, ok},
		"GET /tableau-de-bord":               {redirect, ok, ok, ok, ok},
		"GET /rapports/modeles":              {redirect, ok, ok, ok, ok},
		"POST /rapports/modeles":             {unauth, denied, denied, redirect, redirect},
		"GET /rapports/modeles/{id}":         {redirect, ok, ok, notFound, ok},
		"GET /rapports/modeles/{id}/xlsx":    {redirect, ok, ok, notFound, ok},
		"GET /rapports/modeles/{id}/edit":    {redirect, denied, denied, notFound, ok},
		"POST /rapports/modeles/{id}":        {unauth, denied, denied, notFound, redirect},
		"POST /rapports/modeles/{id}/delete": {unauth, denied, denied, notFound, redirect},
	}
	// Destructive routes run on fresh fixtures for each actor: a record of
	// a.st made for the request, or, for the routes acting on the actor's
	// own account, a fresh user of the actor's role and a fresh session.
	freshRecord := map[string]bool{
		"POST /admin/territory/communes/{id}/delete": true,
		"POST /admin/territory/zones/{id}/delete":    true,
		"POST /admin/teams/{id}/delete":              true,
		"POST /admin/users/{id}/deactivate":          true,
		"POST /admin/users/{id}/reactivate":          true,
		"POST /admin/users/{id}/reset-password":      true,
		"POST /people/{id}/archive":                  true,
		"POST /people/{id}/restore":                  true,
		"POST /people/{id}/consents":                 true,
		"POST /people/{id}/consents/{cid}/withdraw":  true,
		"POST /people/{id}/merge":                    true,
		"POST /orientations/{id}/status":             true,
		"POST /orientations/{id}/link":               true,
		"POST /orientations/{id}/link/revoke":        true,
		"POST /tournees/{id}/end":                    true,
		"POST /checkins/{id}/checkout":               true,
		"POST /checkins/{id}/acknowledge":            true,
		"POST /pratique/notes/{id}/delete":           true,
		"POST /agenda/{id}/cancel":                   true,
		"POST /agenda/{id}/edit":                     true,
		"POST /agenda/{id}/delete":                   true,
		"POST /mediations/{id}/status":               true,
		"POST /mediations/{id}/parties":              true,
		"POST /veille/observations/{id}":             true,
		"POST /veille/reseaux/{id}/status":           true,
		"POST /veille/technique/{id}/status":         true,
		"POST /territoire/figures/{id}/delete":       true,
		"POST /infos/{id}/validate":                  true,
		"POST /admin/flux/{id}/revoke":               true,
		"POST /annuaire/proposals/{id}/close":        true,
		"POST /annuaire/contacts/{id}/delete":        true,
		"POST /activites/{id}/status":                true,
		// Reports (rendre compte).
		"POST /rapports/modeles/{id}/delete": true,
	}
	freshSession := map[string]bool{
		"POST /logout":                    true,
		"POST /account/logout-everywhere": true,
		"POST /account/password":          true,
	}

	run(t, func(t *testing.T, a *app) {
		fx := newAzFixtures(t, a)
		routes := a.handler.Routes()
		seen := map[string]bool{}
		for _, rt := range routes {
			key := rt.Method + " " + rt.Path
			seen[key] = true
			if _, ok := expected[key]; !ok {
				t.Errorf("route %q (access %s) has no entry in the authorisation matrix: add it to `expected` in authz_test.go "+
					"with the status each actor must get", key, rt.Access)
			}
		}
		for key := range expected {
			if !seen[key] {
				t.Errorf("the authorisation matrix lists %q, which is not in the route table: remove it", key)
			}
		}
		if t.Failed() {
			return
		}
		cells := 0
		for _, rt := range routes {
			key := rt.Method + " " + rt.Path
			want := expected[key]
			for actor := range azActors {
				cells++
				c := fx.clients[actor]
				if freshSession[key] && actor != azAnonymous {
					c = a.login(fx.freshUser(actor))
				}
				if key == "POST /login" && actor == azAnonymous {
					// Logging in turns the client into a session: keep
					// the shared anonymous client anonymous.
					c = a.client()
					c.get("/login")
				}
				id := int64(0)
				if strings.Contains(rt.Path, "{id}") {
					id = fx.id(key, freshRecord[key])
				}
				path := azPath(rt.Path, id)
				path = strings.ReplaceAll(path, "{cid}", strconv.FormatInt(fx.consent, 10))
				partnerRoute := strings.Contains(rt.Path, "{token}") || strings.Contains(rt.Path, "{file}")
				if strings.HasPrefix(rt.Path, "/flux/") {
					path = strings.ReplaceAll(path, "{file}", fx.azFeedFile(key))
				}
				if partnerRoute {
					path = strings.ReplaceAll(path, "{token}", fx.azToken(key))
					path = strings.ReplaceAll(path, "{file}", fx.feedToken+".ics")
				}
				form := fx.form(key, actor)
				// A refused POST changes nothing; the other structure's
				// admin never changes a.st, whatever the status — but
				// for the partner's link, whose holder answers for a.st.
				checked := rt.Method == http.MethodPost && actor != azAdmin && !partnerRoute
				before := ""
				if checked {
					before = fx.state()
				}
				var r *response
				if rt.Method == http.MethodGet {
					r = c.get(path)
				} else {
					r = c.post(path, form)
				}
				fx.known = ""
				who := fmt.Sprintf("%s as %s (%s)", key, azActorNames[actor], path)
				if r.status != want[actor] {
					t.Errorf("%s: status %d, want %d; main: %.300s", who, r.status, want[actor], r.text("main"))
					continue
				}
				fx.checkRedirect(t, who, rt.Access, rt.Method, path, actor, r)
				if checked && (r.status >= 400 || actor == azOther) {
					after := fx.state()
					if after != before {
						t.Errorf("%s: status %d but a.st changed:\nbefore: %s\nafter:  %s", who, r.status, before, after)
					}
					fx.known = after
				}
				if actor == azOther && !partnerRoute {
					fx.checkNoLeak(t, who, r)
				}
				if r.status >= 400 && r.doc != nil && r.find(`html[lang="fr"]`).Length() != 1 {
					t.Errorf("%s: error page is not a French page", who)
				}
			}
		}
		t.Logf("authorisation matrix: %d routes × %d actors = %d requests", len(routes), azActors, cells)

		// A real asset, read from a page's stylesheet link, is served to
		// everyone; /metrics is refused to a forwarded (remote) client.
		href, _ := fx.clients[azAdmin].get("/").find(`link[rel="stylesheet"]`).First().Attr("href")
		if !strings.HasPrefix(href, "/static/") {
			t.Fatalf("stylesheet href = %q", href)
		}
		for actor := range azActors {
			r := fx.clients[actor].get(href)
			if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") {
				t.Errorf("GET %s as %s: status %d, type %q", href, azActorNames[actor], r.status, r.header.Get("Content-Type"))
			}
		}
		req, _ := http.NewRequest("GET", a.srv.URL+"/metrics", nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		if r := fx.clients[azAnonymous].do(req); r.status != http.StatusNotFound {
			t.Errorf("/metrics behind a proxy: status %d, want 404", r.status)
		}

		// Filters naming another structure's records show nothing of them.
		oc := fx.clients[azOther]
		for _, p := range []string{
			"/admin/users?team=" + strconv.FormatInt(fx.team, 10),
			"/admin/users?q=Marqueur",
			"/admin/audit?user=" + strconv.FormatInt(int64(a.st.Admin.ID), 10),
			"/people?q=Marqueur",
			"/people?team=" + strconv.FormatInt(fx.team, 10),
			"/people?referent=" + strconv.FormatInt(int64(a.st.Mediator.ID), 10),
			"/people?q=Marqueur&archived=on",
		} {
			r := oc.get(p).wantStatus(http.StatusOK)
			fx.checkNoLeak(t, "GET "+p+" as admin of another structure", r)
		}
		// The refusal of another structure's commune is word for word the
		// refusal of a commune that does not exist.
		z1 := oc.post("/admin/territory/zones", url.Values{"commune_id": {strconv.FormatInt(fx.commune, 10)}, "zone_name": {"Sondage"}})
		z2 := oc.post("/admin/territory/zones", url.Values{"commune_id": {"987654321"}, "zone_name": {"Sondage"}})
		if z1.status != z2.status || z1.text(".error-summary") != z2.text(".error-summary") {
			t.Errorf("another structure's commune is told apart from a missing one: %d %q vs %d %q",
				z1.status, z1.text(".error-summary"), z2.status, z2.text(".error-summary"))
		}
	})
}

// azPath fills the route pattern with a concrete path.
func azPath(pattern string, id int64) string {
	p := strings.ReplaceAll(pattern, "{$}", "")
	p = strings.ReplaceAll(p, "{sid}", strconv.FormatInt(azSeanceOf(id), 10)) // collective actions
	return strings.ReplaceAll(p, "{id}", strconv.FormatInt(id, 10))
}

// azFixtures holds the records of a.st the matrix works on and one logged-in
// client per actor.
type azFixtures struct {
	t       *testing.T
	a       *app
	admin   maillon.Actor
	clients [azActors]*client
	team    int64 // shared records, changed only by the admin's own requests
	commune int64
	zone    int64
	user    int64
	markers []string // texts of a.st that no page of a.other may show
	// An intervention of a.st (its mediator is a.st.Mediator), the person
	// it names and an entry of a.st's procedure catalogue.
	intervention, ivPerson, procType int64
	// A person of a.st, and the consent the withdrawal route acts on.
	person, consent int64
	// An orientation of a.st by its mediator, for a person who agreed to
	// share, with an open partner link; lastToken is the fresh link of the
	// last answer route.
	orientation, orPerson   int64
	partnerToken, lastToken string
	// A tournée of a.st whose members are a.st.Mediator and user.
	tournee int64
	// A practice note of practiceAuthor (a.st.Mediator) and a session of
	// a.st.
	practiceNote, practiceSession int64
	practiceAuthor                *maillon.User
	// A rendez-vous of a.st.Mediator started an hour ago, and the iCal
	// feed token of user.
	agendaEvent int64
	feedToken   string
	// A case of a.st opened by its mediator (both parties consenting),
	// one of its parties, and a closed case with a follow-up due.
	mediation, mediationParty, mediationClosed int64
	// Records of the veille sociale of a.st.
	veilleObs, veilleRisk, veilleTech, veilleRemontee int64
	// A published information item of a.st and a network feed token.
	info          int64
	infoFeedToken string
	// A structure of a.st's partner directory.
	dirStructure int64
	// known is a.st's state as last read, or "" when something may have
	// changed it since.
	known string
	// A report template of a.st (rendre compte).
	reportTemplate int64
}

var azSeq atomic.Int64

func newAzFixtures(t *testing.T, a *app) *azFixtures {
	t.Helper()
	ctx := context.Background()
	fx := &azFixtures{t: t, a: a, admin: storetest.Actor(a.st.Admin)}
	tm, err := a.db.CreateTeam(ctx, fx.admin, maillon.TeamInput{Name: "Équipe Marqueur Nord", Description: "Équipe de a.st"})
	if err != nil {
		t.Fatal(err)
	}
	fx.team = int64(tm.ID)
	cm, err := a.db.AddCommune(ctx, fx.admin, a.st.ID, maillon.CommuneInput{INSEE: "69123", Name: "Communemarqueur"})
	if err != nil {
		t.Fatal(err)
	}
	fx.commune = int64(cm.ID)
	z, err := a.db.AddZone(ctx, fx.admin, maillon.ZoneInput{CommuneID: cm.ID, Name: "Quartier Marqueur", QPVCode: "QN06901M"})
	if err != nil {
		t.Fatal(err)
	}
	fx.zone = int64(z.ID)
	target := storetest.MustCreateUser(t, a.db, a.st.ID, maillon.RoleMediateur)
	fx.user = int64(target.ID)
	// Give a.st's people names no other structure's page can contain by
	// chance.
	for i, u := range []*maillon.User{a.st.Admin, a.st.Coordinator, a.st.Mediator, target} {
		name := fmt.Sprintf("Zoé Marqueur-%c", 'A'+i)
		if err := a.db.UpdateUser(ctx, maillon.OperatorActor(), u.ID, maillon.UserUpdate{DisplayName: &name}); err != nil {
			t.Fatal(err)
		}
		fx.markers = append(fx.markers, name, u.Email)
	}
	fx.markers = append(fx.markers, "Équipe Marqueur Nord", "Communemarqueur", "Quartier Marqueur", "Médiation Test")
	newAzInterventionFixtures(t, fx)
	newAzPeopleFixtures(t, fx)
	newAzOrientationFixtures(t, fx)
	newAzTourneeFixtures(t, fx)
	newAzPracticeFixtures(t, fx)
	newAzAgendaFixtures(t, fx)
	newAzMediationFixtures(t, fx)
	newAzVeilleFixtures(t, fx)
	newAzTerritoireFixtures(t, fx)
	newAzDirectoryFixtures(t, fx)
	newAzActiviteFixtures(t, fx)
	newAzReportFixtures(t, fx)

	anon := a.client()
	anon.get("/login") // the anonymous CSRF token
	fx.clients = [azActors]*client{anon, a.login(a.st.Mediator), a.login(a.st.Coordinator), a.login(a.other.Admin), a.login(a.st.Admin)}
	return fx
}

// freshUser creates a user playing actor, for routes that end the actor's
// sessions or change their password.
func (fx *azFixtures) freshUser(actor int) *maillon.User {
	fx.known = ""
	sid, role := fx.a.st.ID, maillon.RoleAdmin
	switch actor {
	case azMediator:
		role = maillon.RoleMediateur
	case azCoordinator:
		role = maillon.RoleCoordinateur
	case azOther:
		sid = fx.a.other.ID
	}
	return storetest.MustCreateUser(fx.t, fx.a.db, sid, role)
}

// id returns the ID of a record of a.st for the {id} of route key: the
// shared one, or a fresh one for destructive routes.
func (fx *azFixtures) id(key string, fresh bool) int64 {
	t, ctx := fx.t, context.Background()
	n := azSeq.Add(1)
	if fresh {
		fx.known = ""
	}
	switch {
	case strings.Contains(key, "/territoire/figures/"), strings.Contains(key, "/infos/"), strings.Contains(key, "/admin/flux/"):
		return fx.azTerritoireID(key)
	case strings.Contains(key, "/communes/"):
		if !fresh {
			return fx.commune
		}
		c, err := fx.a.db.AddCommune(ctx, fx.admin, fx.a.st.ID, maillon.CommuneInput{INSEE: fmt.Sprintf("38%03d", n%1000), Name: fmt.Sprintf("Commune %d", n)})
		if err != nil {
			t.Fatal(err)
		}
		return int64(c.ID)
	case strings.Contains(key, "/zones/"):
		if !fresh {
			return fx.zone
		}
		z, err := fx.a.db.AddZone(ctx, fx.admin, maillon.ZoneInput{CommuneID: maillon.CommuneID(fx.commune), Name: fmt.Sprintf("Quartier %d", n)})
		if err != nil {
			t.Fatal(err)
		}
		return int64(z.ID)
	case strings.Contains(key, "/teams/"):
		if !fresh {
			return fx.team
		}
		tm, err := fx.a.db.CreateTeam(ctx, fx.admin, maillon.TeamInput{Name: fmt.Sprintf("Équipe %d", n)})
		if err != nil {
			t.Fatal(err)
		}
		return int64(tm.ID)
	case strings.Contains(key, "/users/"):
		if !fresh {
			return fx.user
		}
		u := storetest.MustCreateUser(t, fx.a.db, fx.a.st.ID, maillon.RoleMediateur)
		if strings.HasSuffix(key, "/reactivate") {
			if err := fx.a.db.SetUserActive(ctx, fx.admin, u.ID, false); err != nil {
				t.Fatal(err)
			}
		}
		return int64(u.ID)
	case strings.Contains(key, "/people/"):
		return fx.azPersonID(key, fresh)
	case strings.Contains(key, "/interventions/"):
		return fx.intervention
	case strings.Contains(key, "/orientations/"):
		return fx.azOrientationID(key, fresh)
	case strings.Contains(key, "/admin/procedures/"):
		return fx.procType
	case strings.Contains(key, "/tournees/"):
		return fx.azTourneeID(fresh)
	case strings.Contains(key, "/checkins/"):
		return fx.azCheckInID(fresh)
	case strings.Contains(key, "/pratique/"):
		return fx.azPracticeID(key, fresh)
	case strings.Contains(key, "/agenda/"):
		return fx.azAgendaID(key, fresh)
	case strings.Contains(key, "/mediations/"):
		return fx.azMediationID(key, fresh)
	case strings.Contains(key, "/veille/"):
		return fx.azVeilleID(key, fresh)
	case strings.HasPrefix(key, "POST /annuaire/proposals/"):
		return fx.azDirectoryProposal()
	case strings.Contains(key, "/annuaire/services/"), strings.Contains(key, "/annuaire/contacts/"):
		return fx.azDirectoryID(key)
	case strings.Contains(key, "/annuaire/structures/"):
		return fx.dirStructure
	case strings.Contains(key, "/activites/"):
		return fx.azActiviteID(key, fresh)
	case strings.Contains(key, "/rapports/modeles/"):
		return fx.azReportTemplateID(fresh)
	}
	t.Fatalf("no fixture for the {id} of %s", key)
	return 0
}

// form returns a minimal valid form for route key, so that authorisation,
// not validation, decides the outcome.
func (fx *azFixtures) form(key string, actor int) url.Values {
	n := azSeq.Add(1)
	team := strconv.FormatInt(fx.team, 10)
	switch key {
	case "POST /login":
		return url.Values{"email": {fx.a.st.Mediator.Email}, "password": {storetest.Password}, "next": {"/"}}
	case "POST /setup":
		return url.Values{"structure_name": {"Pirate"}, "admin_name": {"Pirate"}, "admin_email": {"pirate@exemple.fr"},
			"password": {"un mot de passe pirate"}, "password_confirm": {"un mot de passe pirate"}}
	case "POST /account/password":
		pw := "un tout nouveau mot de passe " + strconv.FormatInt(n, 10)
		return url.Values{"current_password": {storetest.Password}, "password": {pw}, "password_confirm": {pw}}
	case "POST /admin/structure":
		return url.Values{"name": {fmt.Sprintf("Structure renommée %d", n)}, "holidays": {"metropole"}, "hours_lundi": {"09:00-12:00"}}
	case "POST /admin/territory/communes":
		return url.Values{"insee": {"69266"}, "commune_name": {"Villeurbanne"}}
	case "POST /admin/territory/zones":
		return url.Values{"commune_id": {strconv.FormatInt(fx.commune, 10)}, "zone_name": {fmt.Sprintf("Nouveau quartier %d", n)}}
	case "POST /admin/teams":
		return url.Values{"name": {fmt.Sprintf("Nouvelle équipe %d", n)}, "description": {"Créée par le test"}}
	case "POST /admin/teams/{id}":
		return url.Values{"name": {fmt.Sprintf("Équipe renommée %d", n)}, "description": {"Modifiée"}}
	case "POST /admin/users":
		return url.Values{"display_name": {"Nouveau compte"}, "email": {fmt.Sprintf("nouveau%d@exemple.fr", n)}, "role": {"mediateur"}, "team_id": {team}}
	case "POST /admin/users/{id}":
		return url.Values{"display_name": {fmt.Sprintf("Nom changé %d", n)}, "role": {"coordinateur"}, "team_id": {team}}
	case "POST /interventions", "POST /interventions/{id}":
		return azInterventionForm(fx)
	case "POST /interventions/{id}/followup":
		return url.Values{"done": {"1"}}
	case "POST /admin/procedures":
		return url.Values{"organisme": {"autre"}, "label": {fmt.Sprintf("Démarche %d", n)}}
	case "POST /admin/procedures/{id}/active":
		return url.Values{"active": {"1"}}
	case "POST /journal/comment":
		day := maillon.InParis(fx.a.db.Clock.Now()).Format("2006-01-02")
		return url.Values{"day": {day}, "team": {team}, "comment": {fmt.Sprintf("Commentaire %d de la journée.", n)}}
	}
	if strings.HasPrefix(key, "POST /tournees") || strings.HasPrefix(key, "POST /checkins") {
		return fx.azTourneeForm(key, actor)
	}
	if strings.HasPrefix(key, "POST /agenda") {
		return fx.azAgendaForm(key)
	}
	if strings.HasPrefix(key, "POST /people") {
		return fx.azPeopleForm(key)
	}
	if strings.HasPrefix(key, "POST /mediations") {
		return fx.azMediationForm(key)
	}
	if strings.HasPrefix(key, "POST /orientations") || strings.HasPrefix(key, "POST /p/o/") {
		return fx.azOrientationForm(key)
	}
	if strings.HasPrefix(key, "POST /pratique") {
		return fx.azPracticeForm(key)
	}
	if strings.HasPrefix(key, "POST /veille") {
		return azVeilleForm(key)
	}
	if strings.HasPrefix(key, "POST /territoire") || strings.HasPrefix(key, "POST /infos") || strings.HasPrefix(key, "POST /admin/flux") {
		return fx.azTerritoireForm(key)
	}
	if strings.HasPrefix(key, "POST /activites") || strings.HasPrefix(key, "POST /q/") {
		return fx.azActiviteForm(key)
	}
	if strings.HasPrefix(key, "POST /rapports") {
		return azReportForm(key)
	}
	switch key {
	case "POST /annuaire/structures/{id}/proposals":
		return url.Values{"text": {fmt.Sprintf("Nouveau numéro de téléphone %d.", n)}}
	case "POST /annuaire/proposals/{id}/close":
		return url.Values{"accepted": {"1"}}
	case "POST /annuaire/structures/{id}/contacts":
		return url.Values{"name": {"Claire Martin"}, "role": {"Directrice"}, "phone": {"04 72 00 00 00"}}
	case "POST /annuaire/structures/{id}/relations":
		return url.Values{"kind": {"rencontre"}, "title": {"Rencontre de présentation"}, "date": {"2026-03-02"}}
	case "POST /annuaire/structures/{id}/temporary":
		return url.Values{"temp_kind": {"fermeture"}, "temp_message": {"Fermé pour travaux."}, "temp_from": {"2026-03-09"}, "temp_until": {"2026-03-20"}}
	// Exports.
	case "POST /exports":
		return url.Values{"kind": {"interventions"}, "from": {"2026-01-01"}, "to": {"2027-01-01"}, "format": {"csv"}, "separator": {";"}}
	// Directory upload, editing and links (annuaire2).
	case "POST /annuaire/structures", "POST /annuaire/structures/{id}":
		return url.Values{"nom": {fmt.Sprintf("Structure partenaire %d", n)}, "code_insee": {"69123"}}
	case "POST /annuaire/structures/{id}/services", "POST /annuaire/services/{id}":
		return url.Values{"nom": {fmt.Sprintf("Service partenaire %d", n)}, "description": {"Accueil et orientation."}, "frais": {"gratuit"}}
	case "POST /annuaire/contacts/{id}/delete":
		return url.Values{}
	case "POST /annuaire/settings":
		return url.Values{"to_check_months": {"6"}, "obsolete_months": {"12"}}
	}
	return url.Values{}
}

// checkRedirect checks where a 303 leads.
func (fx *azFixtures) checkRedirect(t *testing.T, who, access, method, path string, actor int, r *response) {
	t.Helper()
	if r.status != http.StatusSeeOther {
		return
	}
	loc := r.header.Get("Location")
	switch {
	case actor == azAnonymous && method == http.MethodGet && access != "public" && access != "anonymous":
		if want := "/login?next=" + url.QueryEscape(path); loc != want {
			t.Errorf("%s: redirect to %q, want %q", who, loc, want)
		}
	case access == "anonymous" && actor != azAnonymous:
		if loc != "/" {
			t.Errorf("%s: logged-in user sent to %q, want /", who, loc)
		}
	case loc == "" || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "/login?next"):
		t.Errorf("%s: unexpected redirect to %q", who, loc)
	}
}

// checkNoLeak fails when a response to the other structure's admin shows
// a text of a.st.
func (fx *azFixtures) checkNoLeak(t *testing.T, who string, r *response) {
	t.Helper()
	for _, m := range fx.markers {
		if strings.Contains(r.body, m) {
			t.Errorf("%s: response shows %q, a record of another structure", who, m)
		}
	}
}

// state describes a.st's records as the operator sees them, to prove that
// a refused request changed nothing.
func (fx *azFixtures) state() string {
	if fx.known == "" {
		fx.known = azState(fx.t, fx.a.db, fx.a.st.ID)
	}
	return fx.known
}

func azState(t testing.TB, db *storetest.DB, sid maillon.StructureID) string {
	t.Helper()
	ctx := context.Background()
	op := maillon.OperatorActor()
	op.StructureID = sid
	st, err := db.FindStructureByID(ctx, op, sid)
	if err != nil {
		t.Fatal(err)
	}
	terr, err := db.FindTerritory(ctx, op, sid)
	if err != nil {
		t.Fatal(err)
	}
	teams, err := db.FindTeams(ctx, op)
	if err != nil {
		t.Fatal(err)
	}
	users, _, err := db.FindUsers(ctx, op, maillon.UserFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	_, audit, err := db.FindAuditEntries(ctx, op, maillon.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	people, _, err := db.FindPersons(ctx, op, maillon.PersonFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	archived, _, err := db.FindPersons(ctx, op, maillon.PersonFilter{Limit: 200, Archived: true})
	if err != nil {
		t.Fatal(err)
	}
	// The comments of today's main courante of each team.
	var comments []string
	for _, tm := range teams {
		jd, err := db.FindJournalDay(ctx, op, maillon.JournalScope{TeamID: tm.ID}, db.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		comments = append(comments, jd.Comment.Text)
	}
	orientations, _, err := db.FindOrientations(ctx, op, maillon.OrientationFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var ors []string
	for _, o := range orientations {
		ors = append(ors, fmt.Sprintf("%d:%s:%s:%d", o.ID, o.Status, o.PartnerName, o.PersonID))
	}
	tournees, _, err := db.FindTournees(ctx, op, maillon.TourneeFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	mediations, _, err := db.FindMediations(ctx, op, maillon.MediationFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var mes []string
	for _, m := range mediations {
		mes = append(mes, fmt.Sprintf("%d:%s:%d:%s", m.ID, m.Status, m.PartyCount, m.UpdatedAt))
	}
	return fmt.Sprintf("structure=%+v territory=%+v teams=%+v users=%+v audit=%d", *st, terr, teams, users, audit) +
		fmt.Sprintf(" people=%+v archived=%+v journal=%q orientations=%v tournees=%+v", people, archived, comments, ors, tournees) +
		" agenda=" + azAgendaState(t, db, op, teams) +
		fmt.Sprintf(" mediations=%v", mes) +
		azTerritoireState(t, db, op)
}

// TestStoreEnforcesStructureIsolation calls the services directly, without
// the web layer: another structure's admin gets "not found" for every
// record of a.st, and mediators and coordinators get "forbidden" on every
// administration method.
func TestStoreEnforcesStructureIsolation(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		admin := storetest.Actor(a.st.Admin)
		svc := a.db.Services()
		tm, err := svc.Teams.CreateTeam(ctx, admin, maillon.TeamInput{Name: "Équipe A"})
		if err != nil {
			t.Fatal(err)
		}
		cm, err := svc.Structures.AddCommune(ctx, admin, a.st.ID, maillon.CommuneInput{INSEE: "69123", Name: "Lyon"})
		if err != nil {
			t.Fatal(err)
		}
		zn, err := svc.Structures.AddZone(ctx, admin, maillon.ZoneInput{CommuneID: cm.ID, Name: "Pentes"})
		if err != nil {
			t.Fatal(err)
		}
		otherTeam, err := svc.Teams.CreateTeam(ctx, storetest.Actor(a.other.Admin), maillon.TeamInput{Name: "Équipe B"})
		if err != nil {
			t.Fatal(err)
		}
		target := storetest.MustCreateUser(t, a.db, a.st.ID, maillon.RoleMediateur)
		validStructure := maillon.StructureInput{Name: "Renommée", Holidays: maillon.HolidaysMetropole}
		newName := "Nom changé"
		role := maillon.RoleAdmin
		teamID := tm.ID
		update := maillon.UserUpdate{DisplayName: &newName, Role: &role, TeamID: &teamID}
		newUser := func(n string) maillon.UserInput {
			return maillon.UserInput{Email: n + "@exemple.fr", DisplayName: "Compte " + n, Role: maillon.RoleMediateur, Password: "un mot de passe assez long"}
		}

		type call struct {
			name string
			fn   func(actor maillon.Actor) error
		}
		// Every method that names a record or a structure of a.st.
		onRecords := []call{
			{"FindStructureByID", func(ac maillon.Actor) error { _, err := svc.Structures.FindStructureByID(ctx, ac, a.st.ID); return err }},
			{"UpdateStructure", func(ac maillon.Actor) error { return svc.Structures.UpdateStructure(ctx, ac, a.st.ID, validStructure) }},
			{"FindTerritory", func(ac maillon.Actor) error { _, err := svc.Structures.FindTerritory(ctx, ac, a.st.ID); return err }},
			{"AddCommune", func(ac maillon.Actor) error {
				_, err := svc.Structures.AddCommune(ctx, ac, a.st.ID, maillon.CommuneInput{INSEE: "69266", Name: "Villeurbanne"})
				return err
			}},
			{"DeleteZone", func(ac maillon.Actor) error { return svc.Structures.DeleteZone(ctx, ac, zn.ID) }},
			{"DeleteCommune", func(ac maillon.Actor) error { return svc.Structures.DeleteCommune(ctx, ac, cm.ID) }},
			{"FindTeamByID", func(ac maillon.Actor) error { _, err := svc.Teams.FindTeamByID(ctx, ac, tm.ID); return err }},
			{"UpdateTeam", func(ac maillon.Actor) error {
				return svc.Teams.UpdateTeam(ctx, ac, tm.ID, maillon.TeamInput{Name: "Pirate"})
			}},
			{"FindUserByID", func(ac maillon.Actor) error { _, err := svc.Users.FindUserByID(ctx, ac, target.ID); return err }},
			{"CreateUser", func(ac maillon.Actor) error {
				_, err := svc.Users.CreateUser(ctx, ac, a.st.ID, newUser("intrus"))
				return err
			}},
			{"UpdateUser", func(ac maillon.Actor) error { return svc.Users.UpdateUser(ctx, ac, target.ID, update) }},
			{"SetUserActive(false)", func(ac maillon.Actor) error { return svc.Users.SetUserActive(ctx, ac, target.ID, false) }},
			{"SetUserActive(true)", func(ac maillon.Actor) error { return svc.Users.SetUserActive(ctx, ac, target.ID, true) }},
			{"ResetPassword", func(ac maillon.Actor) error {
				return svc.Users.ResetPassword(ctx, ac, target.ID, "un mot de passe pirate")
			}},
			{"ResetPassword(admin)", func(ac maillon.Actor) error {
				return svc.Users.ResetPassword(ctx, ac, a.st.Admin.ID, "un mot de passe pirate")
			}},
			{"DeleteTeam", func(ac maillon.Actor) error { return svc.Teams.DeleteTeam(ctx, ac, tm.ID) }},
		}
		// Operator-only methods: forbidden to every structure user.
		operatorOnly := []call{
			{"CreateStructure", func(ac maillon.Actor) error {
				_, err := svc.Structures.CreateStructure(ctx, ac, validStructure)
				return err
			}},
			{"FindStructures", func(ac maillon.Actor) error { _, err := svc.Structures.FindStructures(ctx, ac); return err }},
			{"FindUserByEmail", func(ac maillon.Actor) error { _, err := svc.Users.FindUserByEmail(ctx, ac, target.Email); return err }},
			{"PurgeAudit", func(ac maillon.Actor) error { _, err := svc.Audit.PurgeAudit(ctx, ac, 12); return err }},
			{"ClaimDemo", func(ac maillon.Actor) error { _, err := svc.Instance.ClaimDemo(ctx, ac); return err }},
		}
		// Administration methods of the actor's own structure.
		ownAdmin := []call{
			{"CreateTeam", func(ac maillon.Actor) error {
				_, err := svc.Teams.CreateTeam(ctx, ac, maillon.TeamInput{Name: "Équipe C"})
				return err
			}},
			{"FindAuditEntries", func(ac maillon.Actor) error {
				_, _, err := svc.Audit.FindAuditEntries(ctx, ac, maillon.AuditFilter{})
				return err
			}},
			{"AddZone", func(ac maillon.Actor) error {
				_, err := svc.Structures.AddZone(ctx, ac, maillon.ZoneInput{CommuneID: cm.ID, Name: "Croix-Rousse"})
				return err
			}},
		}

		before := azState(t, a.db, a.st.ID)
		want := func(who, name string, err, kind error) {
			t.Helper()
			if !errors.Is(err, kind) {
				t.Errorf("%s: %s = %v, want %v", who, name, err, kind)
			}
		}

		// The other structure's admin: not found, whatever the record.
		other := storetest.Actor(a.other.Admin)
		for _, c := range onRecords {
			want("other structure's admin", c.name, c.fn(other), maillon.ErrNotFound)
		}
		for _, c := range operatorOnly {
			want("other structure's admin", c.name, c.fn(other), maillon.ErrForbidden)
		}
		// A commune of a.st is refused like a commune that does not exist.
		_, errOther := svc.Structures.AddZone(ctx, other, maillon.ZoneInput{CommuneID: cm.ID, Name: "Intrus"})
		_, errNone := svc.Structures.AddZone(ctx, other, maillon.ZoneInput{CommuneID: 987654321, Name: "Intrus"})
		if errOther == nil || errNone == nil || errOther.Error() != errNone.Error() {
			t.Errorf("AddZone on another structure's commune: %v; on a missing commune: %v", errOther, errNone)
		}
		// Lists and filters only ever return the actor's own structure.
		if teams, err := svc.Teams.FindTeams(ctx, other); err != nil || len(teams) != 1 || teams[0].ID != otherTeam.ID {
			t.Errorf("FindTeams for the other structure: %+v, %v", teams, err)
		}
		for _, f := range []maillon.UserFilter{{}, {TeamID: tm.ID}, {Query: target.DisplayName}} {
			users, total, err := svc.Users.FindUsers(ctx, other, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range users {
				if u.StructureID != a.other.ID {
					t.Errorf("FindUsers(%+v) for the other structure returns user %d of structure %d", f, u.ID, u.StructureID)
				}
			}
			if f.TeamID != 0 && total != 0 {
				t.Errorf("FindUsers by a.st's team for the other structure: total %d", total)
			}
		}
		for _, f := range []maillon.AuditFilter{{}, {ActorID: a.st.Admin.ID}} {
			entries, _, err := svc.Audit.FindAuditEntries(ctx, other, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if e.StructureID != a.other.ID || e.ActorID == a.st.Admin.ID {
					t.Errorf("FindAuditEntries(%+v) for the other structure returns %+v", f, e)
				}
			}
		}
		// A user may not be put into another structure's team.
		_, err = svc.Users.CreateUser(ctx, other, a.other.ID, maillon.UserInput{Email: "b@exemple.fr", DisplayName: "B",
			Role: maillon.RoleMediateur, TeamID: tm.ID, Password: "un mot de passe assez long"})
		want("other structure's admin", "CreateUser with a.st's team", err, maillon.ErrInvalid)
		otherTeamID := otherTeam.ID
		err = svc.Users.UpdateUser(ctx, admin, target.ID, maillon.UserUpdate{TeamID: &otherTeamID})
		want("admin", "UpdateUser with another structure's team", err, maillon.ErrInvalid)

		// Mediators and coordinators: forbidden on every administration
		// method of their own structure.
		for _, u := range []*maillon.User{a.st.Mediator, a.st.Coordinator} {
			ac := storetest.Actor(u)
			who := string(u.Role)
			for _, c := range append(append(onRecords, operatorOnly...), ownAdmin...) {
				switch c.name {
				case "FindStructureByID", "FindTerritory", "FindTeamByID":
					// Any member reads their structure, territory and teams.
					if err := c.fn(ac); err != nil {
						t.Errorf("%s: %s = %v, want success", who, c.name, err)
					}
					continue
				case "FindUserByID":
					if u.Role == maillon.RoleCoordinateur {
						if err := c.fn(ac); err != nil {
							t.Errorf("%s: %s = %v, want success", who, c.name, err)
						}
						continue
					}
				}
				want(who, c.name, c.fn(ac), maillon.ErrForbidden)
			}
			if _, _, err := svc.Users.FindUsers(ctx, ac, maillon.UserFilter{}); u.Role == maillon.RoleMediateur {
				want(who, "FindUsers", err, maillon.ErrForbidden)
			} else if err != nil {
				t.Errorf("coordinateur: FindUsers = %v", err)
			}
			if _, err := svc.Users.FindUserByID(ctx, ac, u.ID); err != nil {
				t.Errorf("%s: reading their own account: %v", who, err)
			}
		}
		// An anonymous actor is refused everywhere.
		for _, c := range append(append(onRecords, operatorOnly...), ownAdmin...) {
			if err := c.fn(maillon.Actor{Channel: maillon.ChannelWeb}); !errors.Is(err, maillon.ErrUnauthenticated) && !errors.Is(err, maillon.ErrForbidden) {
				t.Errorf("anonymous: %s = %v, want unauthenticated or forbidden", c.name, err)
			}
		}
		if after := azState(t, a.db, a.st.ID); after != before {
			t.Errorf("refused calls changed a.st:\nbefore: %s\nafter:  %s", before, after)
		}
		// The admin of a.st does succeed, so the calls above were
		// meaningful.
		for _, c := range onRecords {
			if c.name == "ResetPassword(admin)" {
				// One's own password needs the current one.
				want("admin", "ResetPassword of their own account", c.fn(admin), maillon.ErrInvalid)
				continue
			}
			if err := c.fn(admin); err != nil {
				t.Errorf("admin: %s = %v, want success", c.name, err)
			}
		}

		// People: every method naming a file of a.st is "not found" for
		// every role of another structure, merging is forbidden to
		// mediators, and nothing changes.
		med := storetest.Actor(a.st.Mediator)
		p, err := svc.People.CreatePerson(ctx, med, maillon.PersonInput{FirstName: "Hélène", LastName: "Dupré", ConsentGiven: true, ConsentMethod: "oral"})
		if err != nil {
			t.Fatal(err)
		}
		p2, err := svc.People.CreatePerson(ctx, med, maillon.PersonInput{FirstName: "Helene", LastName: "Dupre", ConsentGiven: true, ConsentMethod: "oral"})
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := svc.People.CreatePerson(ctx, storetest.Actor(a.other.Mediator), maillon.PersonInput{FirstName: "Hélène", LastName: "Dupré", ConsentGiven: true, ConsentMethod: "oral"})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.People.AddNote(ctx, med, p.ID, maillon.NoteInput{Text: "Note"}); err != nil {
			t.Fatal(err)
		}
		file, err := svc.People.FindPersonFile(ctx, admin, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		consent := file.Consents[0].ID
		onPeople := []call{
			{"FindPersonFile", func(ac maillon.Actor) error { _, err := svc.People.FindPersonFile(ctx, ac, p.ID); return err }},
			{"FindPersonSummary", func(ac maillon.Actor) error { _, err := svc.People.FindPersonSummary(ctx, ac, p.ID); return err }},
			{"UpdatePerson", func(ac maillon.Actor) error {
				return svc.People.UpdatePerson(ctx, ac, p.ID, maillon.PersonInput{FirstName: "Pirate"})
			}},
			{"SetPersonArchived(true)", func(ac maillon.Actor) error { return svc.People.SetPersonArchived(ctx, ac, p.ID, true) }},
			{"SetPersonArchived(false)", func(ac maillon.Actor) error { return svc.People.SetPersonArchived(ctx, ac, p.ID, false) }},
			{"AddConsent", func(ac maillon.Actor) error {
				return svc.People.AddConsent(ctx, ac, p.ID, maillon.ConsentInput{Scope: "partage", Method: "oral"})
			}},
			{"WithdrawConsent", func(ac maillon.Actor) error { return svc.People.WithdrawConsent(ctx, ac, consent) }},
			{"AddAutonomy", func(ac maillon.Actor) error {
				return svc.People.AddAutonomy(ctx, ac, p.ID, maillon.AutonomyInput{Level: "1"})
			}},
			{"AddNote", func(ac maillon.Actor) error {
				return svc.People.AddNote(ctx, ac, p.ID, maillon.NoteInput{Text: "Pirate"})
			}},
			{"MergePersons(theirs, ours)", func(ac maillon.Actor) error { return svc.People.MergePersons(ctx, ac, theirs.ID, p.ID) }},
			{"MergePersons(ours, theirs)", func(ac maillon.Actor) error { return svc.People.MergePersons(ctx, ac, p.ID, theirs.ID) }},
			{"MergePersons(ours, ours)", func(ac maillon.Actor) error { return svc.People.MergePersons(ctx, ac, p.ID, p2.ID) }},
		}
		for _, u := range []*maillon.User{a.other.Admin, a.other.Coordinator, a.other.Mediator} {
			ac := storetest.Actor(u)
			for _, c := range onPeople {
				kind := maillon.ErrNotFound
				if strings.HasPrefix(c.name, "MergePersons") && u.Role == maillon.RoleMediateur {
					kind = maillon.ErrForbidden
				}
				want(string(u.Role)+" of another structure", c.name, c.fn(ac), kind)
			}
			list, total, err := svc.People.FindPersons(ctx, ac, maillon.PersonFilter{Query: "dupre"})
			if err != nil || total != 1 || len(list) != 1 || list[0].ID != theirs.ID {
				t.Errorf("%s of another structure: FindPersons = %+v (%d), %v", u.Role, list, total, err)
			}
			dups, err := svc.People.FindDuplicates(ctx, ac, maillon.PersonInput{FirstName: "Hélène", LastName: "Dupré"})
			if err != nil || len(dups) != 1 || dups[0].ID != theirs.ID {
				t.Errorf("%s of another structure: FindDuplicates = %+v, %v", u.Role, dups, err)
			}
		}
		for _, c := range onPeople {
			if err := c.fn(maillon.Actor{Channel: maillon.ChannelWeb}); !errors.Is(err, maillon.ErrUnauthenticated) {
				t.Errorf("anonymous: %s = %v, want unauthenticated", c.name, err)
			}
		}
		want("mediator", "MergePersons", svc.People.MergePersons(ctx, med, p.ID, p2.ID), maillon.ErrForbidden)
		after, err := svc.People.FindPersonFile(ctx, admin, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.Person.FirstName != "Hélène" || after.Person.Archived || len(after.Consents) != 1 || !after.HasConsent(maillon.ConsentDossier) ||
			len(after.Notes) != 1 || len(after.Autonomy) != 0 {
			t.Errorf("refused calls changed a.st's file: %+v", after)
		}
		if _, err := svc.People.FindPersonFile(ctx, admin, p2.ID); err != nil {
			t.Errorf("refused merges removed a file: %v", err)
		}
		// Members of a.st do succeed, so the calls above were meaningful.
		for _, c := range onPeople {
			switch c.name {
			case "MergePersons(theirs, ours)", "MergePersons(ours, theirs)":
				want("coordinator", c.name, c.fn(storetest.Actor(a.st.Coordinator)), maillon.ErrNotFound)
				continue
			case "SetPersonArchived(false)":
				continue // withdrawn below; restoring needs a new consent
			}
			if err := c.fn(storetest.Actor(a.st.Coordinator)); err != nil {
				t.Errorf("coordinator: %s = %v, want success", c.name, err)
			}
		}
	})
}
