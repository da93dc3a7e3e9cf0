// A phone in a workshop: when the facilitator puts another question on the screen, load it.
// The phone asks every three seconds (a few bytes; a held-open stream per phone would tie
// up a server thread each). Not while the person is typing an answer: the next look does.
(function () {
  "use strict";
  var box = document.querySelector("[data-room-state]");
  if (!box || !window.fetch) return;
  var shown = box.getAttribute("data-room-question");
  var url = box.getAttribute("data-room-state");
  function look() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (state) {
        if (state === null || state === shown) return;
        var el = document.activeElement;
        if (el && el.tagName === "TEXTAREA" && el.value) return;
        window.location.reload();
      })
      .catch(function () {});
  }
  window.setInterval(look, 3000);
})();
