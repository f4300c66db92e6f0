// Small comforts on top of pages that work without scripts.
(function () {
  "use strict";
  // Select the whole share link when it gets focus, ready to copy.
  var url = document.getElementById("share-url");
  if (url) {
    url.addEventListener("focus", function () { url.select(); });
  }
  // On the import page, show only the columns of the records chosen (all show without scripts).
  var kind = document.querySelector("select#kind[name=kind]");
  var hints = document.querySelectorAll("#columns [data-kind]");
  if (kind && hints.length) {
    var showColumns = function () {
      hints.forEach(function (hint) { hint.hidden = hint.getAttribute("data-kind") !== kind.value; });
    };
    kind.addEventListener("change", showColumns);
    showColumns();
  }
  // Bring the first error into view and to the keyboard's attention.
  var alert = document.querySelector("[role=alert]");
  if (alert) {
    alert.setAttribute("tabindex", "-1");
    alert.focus();
  }
})();
