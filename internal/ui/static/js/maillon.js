// Maillon – améliorations facultatives : chaque page fonctionne sans ce
// script. Il place le focus sur le récapitulatif d'erreurs d'un formulaire
// pour que les lecteurs d'écran l'annoncent, et demande confirmation avant
// les actions marquées data-confirm.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
