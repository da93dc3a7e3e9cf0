// A live page on a projector (a conversation's results, a workshop's screen): when the
// server says something changed (server-sent events), fetch the changing part again and put
// it in place. A change told while a fetch runs is fetched right after it, so the last
// answer of a burst is never left off. Not while someone reads it with the keyboard (focus
// inside), which would lose their place: the next change updates it. Without JavaScript
// the page stays as it is.
(function () {
  "use strict";
  var box = document.querySelector("[data-live-stream]");
  if (!box || !window.EventSource) return;
  var busy = false;
  var again = false;
  function refresh() {
    if (busy) { again = true; return; }
    if (box.contains(document.activeElement)) return;
    busy = true;
    fetch(box.getAttribute("data-live-part"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) box.innerHTML = html; })
      .finally(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }
  var source = new EventSource(box.getAttribute("data-live-stream"));
  source.onmessage = refresh;
})();
