// The facilitator's "add a question" form: show only the fields the chosen kind uses
// (options for multiple choice, ranking, points and 2x2; the ends for a scale; the axes for
// a 2x2; the framework for a scale per theme). Without JavaScript every field is there,
// each label saying which kind it is for.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  if (!kind) return;
  var parts = document.querySelectorAll("[data-for-kinds]");
  function show() {
    Array.prototype.forEach.call(parts, function (el) {
      var kinds = el.getAttribute("data-for-kinds").split(" ");
      el.hidden = kinds.indexOf(kind.value) < 0;
    });
  }
  kind.addEventListener("change", show);
  show();
})();
