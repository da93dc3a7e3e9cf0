// The results of a conversation on a projector: when the server says the analysis has
// changed (server-sent events), fetch the results part again and put it in place; not
// while someone is reading it with the keyboard (focus inside), which would lose their
// place: the next change updates it. Without JavaScript the page stays as it is.
(function () {
  "use strict";
  var box = document.querySelector("[data-live-stream]");
  if (!box || !window.EventSource) return;
  var busy = false;
  var source = new EventSource(box.getAttribute("data-live-stream"));
  source.onmessage = function () {
    if (busy || box.contains(document.activeElement)) return;
    busy = true;
    fetch(box.getAttribute("data-live-part"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) box.innerHTML = html; })
      .finally(function () { busy = false; });
  };
})();
