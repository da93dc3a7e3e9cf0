// Click the municipality map to fill in latitude and longitude (the inverse of
// platsa.core.charts.area_map's projection, read from the SVG's data-bbox).
(function () {
  var svg = document.querySelector("#place-map svg[data-bbox]");
  if (!svg) return;
  var b = svg.getAttribute("data-bbox").split(",").map(Number);
  var west = b[0], north = b[3], k = b[4], scale = b[5], pad = b[6];
  svg.addEventListener("click", function (event) {
    var pt = svg.createSVGPoint();
    pt.x = event.clientX; pt.y = event.clientY;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    var lon = west + (p.x - pad) / (k * scale);
    var lat = north - (p.y - pad) / scale;
    document.getElementById("id_lat").value = lat.toFixed(5);
    document.getElementById("id_lon").value = lon.toFixed(5);
    var marker = svg.querySelector(".map-point");
    if (!marker) {
      marker = document.createElementNS("http://www.w3.org/2000/svg", "circle");
      marker.setAttribute("r", "7"); marker.setAttribute("fill", "#a61c00");
      marker.setAttribute("stroke", "#fff"); marker.setAttribute("stroke-width", "2");
      marker.setAttribute("class", "map-point");
      svg.appendChild(marker);
    }
    marker.setAttribute("cx", p.x); marker.setAttribute("cy", p.y);
  });
})();
