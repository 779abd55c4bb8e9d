// Maillon – recherche dans l'annuaire au fil de la frappe (facultatif) :
// le formulaire de recherche du partenaire d'une orientation fonctionne
// sans ce script (bouton « Chercher dans l'annuaire »). Avec lui, la liste
// des services se met à jour pendant la saisie : la même page est
// demandée au serveur et seule sa liste de résultats est reprise ; une
// zone polie annonce le nombre de résultats aux lecteurs d'écran.
(function () {
  "use strict";
  var form = document.querySelector("form[data-annuaire-search]");
  var results = document.querySelector("[data-annuaire-results]");
  if (!form || !results || !window.fetch || !window.DOMParser || !window.URLSearchParams || !window.FormData) {
    return;
  }
  var input = form.querySelector("input[type=search]");
  if (!input) {
    return;
  }
  var timer = null;
  var last = input.value;
  var seq = 0;
  function search() {
    var q = input.value.trim();
    if (q === last.trim() || (q.length > 0 && q.length < 2)) {
      return;
    }
    last = input.value;
    var params = new URLSearchParams(new FormData(form));
    var mine = ++seq;
    fetch(form.action + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { "Accept": "text/html" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("refused");
      }
      return response.text();
    }).then(function (html) {
      if (mine !== seq) {
        return; // a later search answered first
      }
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.querySelector("[data-annuaire-results]");
      if (fresh) {
        results.innerHTML = fresh.innerHTML;
      }
    }).catch(function () {
      // The button still works: nothing to do.
    });
  }
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 300);
  });
})();
