// The dashboard shows times in the viewer's time zone: the browser's own, unless one is set.
(function () {
  "use strict";
  var field = document.getElementById("figures-tz");
  if (!field || !window.Intl) { return; }
  var own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var params = new URLSearchParams(window.location.search);
  var remembered = document.cookie.split("; ").some(function (c) { return c.indexOf("tz=") === 0; });
  if (own && !params.has("tz") && !remembered && field.dataset.zone !== own) {
    params.set("tz", own);
    window.location.replace(window.location.pathname + "?" + params.toString());
  }
})();
