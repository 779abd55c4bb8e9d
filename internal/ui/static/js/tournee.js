// Maillon – compteurs de tournée instantanés (facultatif) : chaque bouton
// +/− reste un formulaire qui fonctionne sans ce script. Avec lui, le
// formulaire part en arrière-plan, le nombre change tout de suite et un
// lecteur d'écran l'annonce ; en cas d'échec, le formulaire est envoyé
// normalement pour afficher le message d'erreur.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-counter-form]");
  if (!forms.length || !window.fetch || !window.URLSearchParams || !window.FormData) {
    return;
  }
  var status = document.querySelector("[data-counter-status]");
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent") === "plain") {
        return; // the fallback submission
      }
      event.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) {
          throw new Error("refused");
        }
        return response.json();
      }).then(function (data) {
        var values = document.querySelectorAll("[data-counter-value]");
        Array.prototype.forEach.call(values, function (el) {
          if (el.getAttribute("data-counter-value") === data.counter) {
            el.textContent = String(data.value);
          }
        });
        if (status) {
          status.textContent = data.label + " : " + data.value;
        }
      }).catch(function () {
        form.setAttribute("data-sent", "plain");
        form.submit();
      });
    });
  });
})();
