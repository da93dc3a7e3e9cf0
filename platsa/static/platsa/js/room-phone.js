// A phone in a workshop: when the facilitator puts another question on the screen, load it.
// The phone asks every three seconds (a few bytes; a held-open stream per phone would tie
// up a server thread each). Not while the person is filling in an answer (typed text,
// points, ranks): the next look after it is sent does.
(function () {
  "use strict";
  var box = document.querySelector("[data-room-state]");
  if (!box) return;
  var dirty = false;
  Array.prototype.forEach.call(document.querySelectorAll("form[data-keep-typed]"), function (form) {
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
  });
  // 100 points: how many are left to give, as the person types (the server checks too).
  var points = document.querySelector("[data-points-total]");
  if (points) {
    var total = parseInt(points.getAttribute("data-points-total"), 10);
    var out = points.querySelector("[data-points-left]");
    var count = function () {
      var sum = 0;
      var bad = false;
      Array.prototype.forEach.call(points.querySelectorAll("input[type=number]"), function (el) {
        var text = el.value.trim();
        if (text === "") return;
        if (!/^[0-9]+$/.test(text)) { bad = true; return; }  // as the server reads them
        sum += parseInt(text, 10);
      });
      out.textContent = bad
        ? out.getAttribute("data-bad")
        : (out.getAttribute("data-template") || "{n}").replace("{n}", total - sum);
    };
    points.addEventListener("input", count);
    count();
  }
  // After a refused answer, the message; after a +1, its button: where the person was.
  var alert = box.querySelector("[role=alert]");
  if (alert) {
    alert.setAttribute("tabindex", "-1");
    alert.focus();
  } else if (/^#e[0-9]+$/.test(window.location.hash)) {
    var voted = document.querySelector(window.location.hash + " button");
    if (voted) voted.focus();
  }
  if (!window.fetch) return;
  var shown = box.getAttribute("data-room-question");
  var url = box.getAttribute("data-room-state");
  function look() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (state) {
        if (state === null || state === shown || dirty) return;
        window.location.reload();
      })
      .catch(function () {});
  }
  window.setInterval(look, 3000);
})();
