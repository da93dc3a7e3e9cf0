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
  // An answer sent in place: the confirmation (or what is wrong) is said next to the send
  // button, in live regions that are on the page from the start (so screen readers say
  // it), and the form keeps what was chosen; no page is loaded again. The room moved on
  // or the session closed: the page is loaded again, with what is on the screen now. No
  // answer from the server (a weak signal): said, and the answer is still there to send.
  var answering = document.querySelector("form[data-fetch]");
  if (answering && window.fetch && window.FormData) {
    var okBox = answering.querySelector("[data-say-ok]");
    var errorBox = answering.querySelector("[data-say-error]");
    var say = function (text, ok) {
      okBox.textContent = ok ? text : "";
      errorBox.textContent = ok ? "" : text;
      okBox.hidden = !ok;
      errorBox.hidden = ok;
    };
    answering.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = answering.querySelector("button[type=submit]");
      if (button.disabled) return;
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      var done = function () {
        button.disabled = false;
        button.removeAttribute("aria-busy");
        button.focus();
      };
      fetch(answering.action, {
        method: "POST",
        body: new FormData(answering),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
      })
        .then(function (r) {
          return r.json().then(function (data) { return { status: r.status, data: data }; });
        })
        .then(function (reply) {
          if (reply.data.reload) { answering.submit(); return; }
          if (reply.status === 409) {
            // The room moved on (or the session closed) before this was sent: said, with
            // the answer left in the form to copy, and a link to what is on the screen now.
            // Without a reason to say, the page is simply loaded again.
            if (!reply.data.message) { dirty = false; window.location.reload(); return; }
            button.removeAttribute("aria-busy");
            say(reply.data.message, false);
            var next = answering.querySelector("[data-say-next]");
            if (next) { next.hidden = false; next.querySelector("a").focus(); }
            return;
          }
          done();
          say(reply.data.message, reply.data.ok);
          if (reply.data.ok) {
            dirty = false;
            button.textContent = answering.getAttribute("data-changed-label");
          }
        })
        .catch(function () {
          done();
          say(answering.getAttribute("data-offline"), false);
        });
    });
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
