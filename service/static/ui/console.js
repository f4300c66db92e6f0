// Small comforts on top of pages that work without scripts.
(function () {
  "use strict";
  // Select the whole share link when it gets focus, ready to copy.
  var url = document.getElementById("share-url");
  if (url) {
    url.addEventListener("focus", function () { url.select(); });
  }
  // Bring the first error into view and to the keyboard's attention.
  var alert = document.querySelector("[role=alert]");
  if (alert) {
    alert.setAttribute("tabindex", "-1");
    alert.focus();
  }
})();
