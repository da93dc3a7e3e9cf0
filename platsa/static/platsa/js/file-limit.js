// A picture too large for the form is refused here, before sending: the server would refuse
// the whole post (its size is bounded before anything reads it) and what was typed would be
// lost on a slow line. Inputs say their bound in data-max-bytes and the message to show in
// data-too-large; the message goes in the live region next to the field.
(function () {
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var max = Number(input.getAttribute("data-max-bytes"));
    var say = document.getElementById(input.id + "_limit");
    var file = input.files && input.files[0];
    if (file && file.size > max) {
      input.value = "";
      input.setAttribute("aria-invalid", "true");
      if (say) { say.textContent = input.getAttribute("data-too-large"); say.hidden = false; }
    } else {
      input.removeAttribute("aria-invalid");
      if (say) { say.textContent = ""; say.hidden = true; }
    }
  });
})();
