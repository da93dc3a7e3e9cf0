// A text with a length limit says how much of it is used, under the field: the browser stops
// typing at the limit and cuts a longer paste without a word, so the person would not know
// why the end of their sentence is missing. The counter is in the page already (hidden
// without script), "<n> of <max> characters"; at the limit a status line says so, once.
(function () {
  "use strict";
  function update(area, box) {
    var n = area.value.length;
    var max = Number(area.getAttribute("maxlength"));
    box.querySelector("[data-count-n]").textContent = String(n);
    var full = box.querySelector("[data-count-full]");
    var text = n >= max ? full.getAttribute("data-text") : "";
    if (full.textContent !== text) full.textContent = text;
  }
  var boxes = document.querySelectorAll("[data-count-for]");
  Array.prototype.forEach.call(boxes, function (box) {
    var area = document.getElementById(box.getAttribute("data-count-for"));
    if (!area || !area.hasAttribute("maxlength")) return;
    box.hidden = false;
    update(area, box);
    area.addEventListener("input", function () { update(area, box); });
  });
})();
