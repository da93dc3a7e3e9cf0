// A places question on the phone: "drop a pin" loads the country's map (drawn on the
// server, platsa.workshops.pins) the first time it is opened, so the question's page stays
// light. A tap on a municipality puts the pin there, fills in the name above and the pin's
// latitude and longitude (the inverse of the map's projection, read from data-bbox); the
// server finds the municipality from the point itself. Enter on a municipality reached with
// the arrow keys (map-zoom.js) chooses it by name, without a pin. Typing a name takes the
// pin away. Without this script the details stay hidden and the name is the answer.
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";

  function setup(box) {
    var form = box.closest("form");
    var name = form && form.querySelector("input[name=answer]");
    var lat = form && form.querySelector("input[name=lat]");
    var lon = form && form.querySelector("input[name=lon]");
    var holder = box.querySelector("[data-pin-map]");
    var said = box.querySelector("[data-pin-said]");
    if (!name || !lat || !lon || !holder) return;
    var loading = false;
    box.hidden = false;

    function say(key, area) {
      said.textContent = (box.getAttribute(key) || "").replace("{name}", area || "");
      // The sea and a map that did not load are errors; the rest confirms.
      said.className = key === "data-sea" || key === "data-failed" ? "say-error" : "say-ok";
    }
    function map() { return holder.querySelector("svg.choropleth-map[data-bbox]"); }
    function titleOf(area) {
      var title = area && area.querySelector("title");
      return title ? title.textContent : "";
    }
    function unpin() {
      lat.value = ""; lon.value = "";
      var old = holder.querySelector(".map-pin-mine");
      if (old) old.remove();
    }

    box.addEventListener("toggle", function () {
      if (!box.open || loading || map()) return;
      loading = true;
      fetch(box.getAttribute("data-src"), { credentials: "same-origin", redirect: "error" })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (!response.ok || type.indexOf("image/svg+xml") !== 0) {
            throw new Error(String(response.status));
          }
          return response.text();
        })
        .then(function (text) {
          // Our own server's drawing, taken in as SVG (never as HTML), its root element only.
          var doc = new DOMParser().parseFromString(text, "image/svg+xml");
          var svg = doc.documentElement;
          if (!svg || svg.namespaceURI !== SVG_NS || svg.localName !== "svg") {
            throw new Error("not a map");
          }
          var note = holder.querySelector("[data-pin-loading]");
          if (note) note.remove();
          holder.insertBefore(document.importNode(svg, true), holder.firstChild);
          holder.dispatchEvent(new CustomEvent("platsa:maps", { bubbles: true }));
        })
        .catch(function () { say("data-failed"); })
        .then(function () { loading = false; });
    });

    holder.addEventListener("click", function (event) {
      var svg = map();
      if (!svg || !svg.contains(event.target)) return;
      var area = event.target.closest("path[data-key]");
      if (!area) { say("data-sea"); return; }
      var b = svg.getAttribute("data-bbox").split(",").map(Number);
      var pt = svg.createSVGPoint();
      pt.x = event.clientX; pt.y = event.clientY;
      var p = pt.matrixTransform(svg.getScreenCTM().inverse());
      unpin();
      lat.value = (b[3] - (p.y - b[6]) / b[5]).toFixed(5);
      lon.value = (b[0] + (p.x - b[6]) / (b[4] * b[5])).toFixed(5);
      var pin = document.createElementNS(SVG_NS, "circle");
      pin.setAttribute("class", "map-pin-mine");
      pin.setAttribute("cx", p.x); pin.setAttribute("cy", p.y); pin.setAttribute("r", "5");
      svg.appendChild(pin);
      name.value = titleOf(area);
      say("data-chosen", name.value);
    });

    holder.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var area = event.target.closest && event.target.closest("path[data-key]");
      if (!area || !map() || !map().contains(area)) return;
      event.preventDefault();  // not the form's submit: choose first, then send
      unpin();
      name.value = titleOf(area);
      say("data-named", name.value);
    });

    name.addEventListener("input", function () { unpin(); said.textContent = ""; });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-pin-drop]"), setup);
})();
