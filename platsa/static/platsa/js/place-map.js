// The map point on the place form: click the municipality's map to fill in latitude and
// longitude, or type them to move the marker (the inverse of platsa.core.charts.area_map's
// projection, read from the SVG's data-bbox). The map can arrive later by htmx, when the
// municipality is chosen, so everything is looked up at the time of the event.
(function () {
  var SVG_NS = "http://www.w3.org/2000/svg";
  function map() { return document.querySelector("#place-map svg[data-bbox]"); }
  function box(svg) {
    var b = svg.getAttribute("data-bbox").split(",").map(Number);
    return { west: b[0], north: b[3], k: b[4], scale: b[5], pad: b[6] };
  }
  function marker(svg) {
    var m = svg.querySelector(".map-point");
    if (!m) {
      m = document.createElementNS(SVG_NS, "circle");
      m.setAttribute("r", "7"); m.setAttribute("class", "map-point");
      m.setAttribute("fill", "#b4460b"); m.setAttribute("stroke", "#fff"); m.setAttribute("stroke-width", "2");
      svg.appendChild(m);
    }
    return m;
  }
  document.addEventListener("click", function (event) {
    var svg = map();
    if (!svg || !svg.contains(event.target)) return;
    var b = box(svg), pt = svg.createSVGPoint();
    pt.x = event.clientX; pt.y = event.clientY;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    document.getElementById("id_lat").value = (b.north - (p.y - b.pad) / b.scale).toFixed(5);
    document.getElementById("id_lon").value = (b.west + (p.x - b.pad) / (b.k * b.scale)).toFixed(5);
    var m = marker(svg);
    m.setAttribute("cx", p.x); m.setAttribute("cy", p.y);
  });
  document.addEventListener("input", function (event) {
    if (event.target.id !== "id_lat" && event.target.id !== "id_lon") return;
    var svg = map();
    var lat = parseFloat(document.getElementById("id_lat").value.replace(",", "."));
    var lon = parseFloat(document.getElementById("id_lon").value.replace(",", "."));
    if (!svg || isNaN(lat) || isNaN(lon)) return;
    var b = box(svg), m = marker(svg);
    m.setAttribute("cx", b.pad + (lon - b.west) * b.k * b.scale);
    m.setAttribute("cy", b.pad + (b.north - lat) * b.scale);
  });
})();
