// Survey helpers; the form works fully without them (the server checks everything).
(function () {
  // At most N priorities: disable the other boxes once N are ticked.
  var box = document.getElementById("f-priorities");
  if (box) {
    var max = parseInt(box.getAttribute("data-max"), 10) || 3;
    var inputs = box.querySelectorAll("input[type=checkbox]");
    var update = function () {
      var n = 0;
      inputs.forEach(function (i) { if (i.checked) n += 1; });
      inputs.forEach(function (i) { i.disabled = !i.checked && n >= max; });
    };
    inputs.forEach(function (i) { i.addEventListener("change", update); });
    update();
  }
  // Move focus to the error summary so screen readers announce it.
  var errors = document.getElementById("errors");
  if (errors) errors.focus();
  // A double tap must not send twice (the server also ignores a resend).
  var form = document.querySelector(".survey form");
  if (form) form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    setTimeout(function () { if (button) button.disabled = true; }, 0);
  });
})();
