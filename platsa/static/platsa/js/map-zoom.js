// Zoom, pan and a caption for the server-drawn choropleths (platsa.core.render.charts
// .choropleth). Works on every svg.choropleth of the page: it changes the viewBox of the
// nested svg.choropleth-map (the legend below stays put), with the + / − / whole-map buttons
// of the partial web/_map_zoom.html when it sits beside the map, Ctrl (or ⌘) and the scroll
// wheel or a trackpad pinch, dragging, and two fingers once the map is zoomed. A plain wheel
// and a finger on an unzoomed map scroll the page as always. Hovering, tapping or focusing a
// municipality writes its label (the area's <title>, "Sundsvall: 3,4") into the caption, a
// polite live region, so a phone that has no hover shows it too; the arrow keys go from area
// to area in the table's order. Without this script the map is the same picture with hover
// titles, and the table beside it has every number.
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var MAX_ZOOM = 8;
  var STEP = 1.5; // one press of + or −
  var DRAG_SLOP = 4; // px a pointer may move and still be a tap

  function numbers(text) {
    return (text || "").trim().split(/[\s,]+/).map(Number);
  }

  function labelOf(area) {
    var link = area.closest("a");
    if (link && link.getAttribute("aria-label")) return link.getAttribute("aria-label");
    var title = area.querySelector("title");
    return title ? title.textContent : "";
  }

  function setup(svg) {
    if (svg.hasAttribute("data-zoom-ready")) return;
    svg.setAttribute("data-zoom-ready", "");
    var map = svg.querySelector("svg.choropleth-map") || svg;
    var box = numbers(map.getAttribute("viewBox"));
    if (box.length !== 4 || !(box[2] > 0 && box[3] > 0)) return;
    var base = { x: box[0], y: box[1], w: box[2], h: box[3] };
    var view = { x: base.x, y: base.y, w: base.w, h: base.h };
    // Where the map's viewport sits in the outer drawing (the same box when not nested).
    var port = map === svg ? null : {
      x: Number(map.getAttribute("x")) || 0, y: Number(map.getAttribute("y")) || 0,
      w: Number(map.getAttribute("width")) || base.w, h: Number(map.getAttribute("height")) || base.h
    };
    var controls = svg.parentElement && svg.parentElement.querySelector("[data-map-zoom]");
    var caption = controls && controls.querySelector("[data-map-caption]");
    var areas = Array.prototype.slice.call(map.querySelectorAll("path[data-key]"));
    var linked = areas.length > 0 && !!areas[0].closest("a");
    var current = null; // the area shown in the caption
    var halo = null;
    var outline = null;
    var pointers = {}; // the pointers down on the map, by id
    var gesture = null; // a drag or pinch under way: where it started
    var dragging = false;
    var moved = false; // the pointers went further than a tap

    function zoom() { return base.w / view.w; }

    function clamp() {
      view.x = Math.min(Math.max(view.x, base.x), base.x + base.w - view.w);
      view.y = Math.min(Math.max(view.y, base.y), base.y + base.h - view.h);
    }

    function apply() {
      clamp();
      map.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) {
        return Math.round(v * 100) / 100;
      }).join(" "));
      var zoomed = zoom() > 1.001;
      svg.classList.toggle("is-zoomed", zoomed);
      if (controls) {
        setEnabled("in", zoom() < MAX_ZOOM - 0.001);
        setEnabled("out", zoomed);
        setEnabled("reset", zoomed);
      }
    }

    function setEnabled(name, on) {
      var button = controls.querySelector('[data-zoom="' + name + '"]');
      // aria-disabled, not disabled: a disabled button would drop the keyboard focus.
      if (button) button.setAttribute("aria-disabled", on ? "false" : "true");
    }

    // Zoom to `level` keeping the map point (cx, cy) where it is on the screen.
    function zoomTo(level, cx, cy) {
      level = Math.min(Math.max(level, 1), MAX_ZOOM);
      var w = base.w / level, h = base.h / level;
      view.x = cx - (cx - view.x) * w / view.w;
      view.y = cy - (cy - view.y) * h / view.h;
      view.w = w;
      view.h = h;
      apply();
    }

    function centre() { return { x: view.x + view.w / 2, y: view.y + view.h / 2 }; }

    // Where a point of the page (client pixels) falls in the map's viewport, as fractions of
    // its width and height, whatever the view: the same for a nested map and for a map that
    // is the whole drawing.
    function where(clientX, clientY) {
      var p = svg.createSVGPoint();
      p.x = clientX;
      p.y = clientY;
      var ctm = svg.getScreenCTM();
      if (!ctm) return { fx: 0.5, fy: 0.5, inside: false };
      var o = p.matrixTransform(ctm.inverse());
      var fx = port ? (o.x - port.x) / port.w : (o.x - view.x) / view.w;
      var fy = port ? (o.y - port.y) / port.h : (o.y - view.y) / view.h;
      return { fx: fx, fy: fy, inside: fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1 };
    }
    function at(f, from) {
      from = from || view;
      return { x: from.x + f.fx * from.w, y: from.y + f.fy * from.h };
    }

    function highlight(area) {
      if (!halo) {
        // Drawn last, over every neighbour: white under black reads on the lightest and on
        // the darkest class alike.
        halo = document.createElementNS(SVG_NS, "path");
        outline = document.createElementNS(SVG_NS, "path");
        halo.setAttribute("class", "choropleth-halo");
        outline.setAttribute("class", "choropleth-outline");
        [halo, outline].forEach(function (p) {
          p.setAttribute("fill", "none");
          p.setAttribute("aria-hidden", "true");
          p.setAttribute("pointer-events", "none");
        });
        halo.setAttribute("stroke", "#ffffff");
        halo.setAttribute("stroke-width", "4");
        outline.setAttribute("stroke", "#000000");
        outline.setAttribute("stroke-width", "2");
      }
      halo.setAttribute("d", area.getAttribute("d"));
      outline.setAttribute("d", area.getAttribute("d"));
      map.appendChild(halo);
      map.appendChild(outline);
    }

    function show(area) {
      if (!area || area === current) return;
      current = area;
      highlight(area);
      if (caption) caption.textContent = labelOf(area);
    }

    // The area an event is about: the path itself, or the link around it.
    function areaOf(target) {
      if (!target || !target.closest) return null;
      var el = target.closest("path[data-key]");
      if (!el && target.matches("a") && target.querySelector) el = target.querySelector("path[data-key]");
      return el && map.contains(el) ? el : null;
    }

    // Keyboard: one stop in the tab order (the links' own when the areas are links), the
    // arrow keys to the next and previous area, Home and End, + − 0 to zoom, Shift and an
    // arrow to move the map.
    function focusable(area) { return linked ? area.closest("a") : area; }
    if (!linked && areas.length) {
      svg.setAttribute("role", "group"); // its areas are now things to reach, not one picture
      areas.forEach(function (area, i) {
        area.setAttribute("tabindex", i === 0 ? "0" : "-1");
        area.setAttribute("role", "img"); // named by its <title>
      });
    }
    function moveFocus(area) {
      if (!linked) {
        areas.forEach(function (a) { a.setAttribute("tabindex", a === area ? "0" : "-1"); });
      }
      focusable(area).focus({ preventScroll: true }); // the view pans to it; the page stays put
    }
    // A focused area outside the zoomed view: bring its middle to the middle.
    function reveal(area) {
      if (zoom() <= 1.001 || !area.getBBox) return;
      var b = area.getBBox();
      var inside = b.x >= view.x && b.y >= view.y && b.x + b.width <= view.x + view.w &&
        b.y + b.height <= view.y + view.h;
      if (inside) return;
      view.x = b.x + b.width / 2 - view.w / 2;
      view.y = b.y + b.height / 2 - view.h / 2;
      apply();
    }

    svg.addEventListener("keydown", function (event) {
      var area = areaOf(event.target);
      if (!area) return;
      var i = areas.indexOf(area);
      var next = null;
      var panStep = 0.2;
      if (event.shiftKey && /^Arrow/.test(event.key)) {
        var dx = event.key === "ArrowLeft" ? -1 : event.key === "ArrowRight" ? 1 : 0;
        var dy = event.key === "ArrowUp" ? -1 : event.key === "ArrowDown" ? 1 : 0;
        view.x += dx * view.w * panStep;
        view.y += dy * view.h * panStep;
        apply();
      } else if (event.key === "ArrowRight" || event.key === "ArrowDown") {
        next = areas[(i + 1) % areas.length];
      } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
        next = areas[(i - 1 + areas.length) % areas.length];
      } else if (event.key === "Home") {
        next = areas[0];
      } else if (event.key === "End") {
        next = areas[areas.length - 1];
      } else if (event.key === "+" || event.key === "=") {
        var b = area.getBBox();
        zoomTo(zoom() * STEP, b.x + b.width / 2, b.y + b.height / 2);
      } else if (event.key === "-" || event.key === "_") {
        var c = centre();
        zoomTo(zoom() / STEP, c.x, c.y);
      } else if (event.key === "0") {
        zoomTo(1, base.x, base.y);
      } else {
        return;
      }
      event.preventDefault();
      if (next) moveFocus(next);
    });
    svg.addEventListener("focusin", function (event) {
      var area = areaOf(event.target);
      if (!area) return;
      if (!linked) areas.forEach(function (a) { a.setAttribute("tabindex", a === area ? "0" : "-1"); });
      reveal(area);
      show(area);
    });
    // The pointer's last place: the browser sends a pointerover without a move when the map
    // pans under a resting mouse (keys, buttons), and that is not the reader pointing.
    var rest = { x: NaN, y: NaN };
    svg.addEventListener("pointerover", function (event) {
      if (dragging || (event.clientX === rest.x && event.clientY === rest.y)) return;
      rest = { x: event.clientX, y: event.clientY };
      show(areaOf(event.target));
    });
    svg.addEventListener("pointermove", function (event) {
      if (event.clientX === rest.x && event.clientY === rest.y) return;
      rest = { x: event.clientX, y: event.clientY };
      if (!dragging) show(areaOf(event.target));
    });

    // The wheel zooms only with Ctrl or ⌘ (a trackpad pinch arrives as one): a plain wheel
    // scrolls the page past the map.
    svg.addEventListener("wheel", function (event) {
      if (!(event.ctrlKey || event.metaKey)) return;
      var f = where(event.clientX, event.clientY);
      if (!f.inside) return;
      event.preventDefault();
      var lines = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
      var p = at(f);
      zoomTo(zoom() * Math.exp(-event.deltaY * lines * 0.002), p.x, p.y);
    }, { passive: false });

    // Dragging (mouse, pen, or a finger once zoomed: CSS gives .is-zoomed touch-action
    // none) and a two-finger pinch.
    function pointerList() { return Object.keys(pointers).map(function (k) { return pointers[k]; }); }
    function startGesture() {
      var list = pointerList();
      if (!list.length) { gesture = null; return; }
      var mid = list.length === 1 ? list[0] : { x: (list[0].x + list[1].x) / 2, y: (list[0].y + list[1].y) / 2 };
      gesture = {
        zoom: zoom(),
        anchor: at(where(mid.x, mid.y)),
        start: mid,
        spread: list.length > 1 ? Math.hypot(list[0].x - list[1].x, list[0].y - list[1].y) : 0
      };
    }
    svg.addEventListener("pointerdown", function (event) {
      moved = false;
      if (event.pointerType === "mouse" && event.button !== 0) return;
      // Nothing to drag on the whole map: a finger scrolls the page (touch-action is left
      // as it is), a click with a shaky hand stays a click.
      if (zoom() <= 1.001 && !Object.keys(pointers).length) return;
      if (!where(event.clientX, event.clientY).inside) return;
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      startGesture();
    });
    svg.addEventListener("pointermove", function (event) {
      if (!pointers[event.pointerId] || !gesture) return;
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      var list = pointerList();
      var mid = list.length === 1 ? list[0] : { x: (list[0].x + list[1].x) / 2, y: (list[0].y + list[1].y) / 2 };
      if (!moved && Math.hypot(mid.x - gesture.start.x, mid.y - gesture.start.y) < DRAG_SLOP && list.length === 1) return;
      if (!moved) {
        moved = true;
        dragging = true;
        svg.classList.add("is-dragging");
        try { svg.setPointerCapture(event.pointerId); } catch (e) { /* not capturable */ }
      }
      var level = gesture.zoom;
      if (list.length > 1 && gesture.spread > 0) {
        level = gesture.zoom * Math.hypot(list[0].x - list[1].x, list[0].y - list[1].y) / gesture.spread;
      }
      level = Math.min(Math.max(level, 1), MAX_ZOOM);
      // The map point first under the pointers stays under them.
      var f = where(mid.x, mid.y);
      view.w = base.w / level;
      view.h = base.h / level;
      view.x = gesture.anchor.x - f.fx * view.w;
      view.y = gesture.anchor.y - f.fy * view.h;
      apply();
    });
    function release(event) {
      if (!pointers[event.pointerId]) return;
      delete pointers[event.pointerId];
      if (!Object.keys(pointers).length) {
        svg.classList.remove("is-dragging");
        setTimeout(function () { dragging = false; }, 0);
      }
      startGesture();
    }
    // On the document: a pointer let go just outside the map is let go all the same.
    document.addEventListener("pointerup", release);
    document.addEventListener("pointercancel", release);
    // A tap shows the area (no hover on a phone); the click that ends a drag does nothing,
    // not even follow an area's link.
    svg.addEventListener("click", function (event) {
      if (moved) {
        moved = false;
        event.preventDefault();
        event.stopPropagation();
        return;
      }
      var area = areaOf(event.target);
      if (area) { current = null; show(area); }
    }, true);

    if (controls) {
      controls.hidden = false;
      controls.addEventListener("click", function (event) {
        var button = event.target.closest("[data-zoom]");
        if (!button || button.getAttribute("aria-disabled") === "true") return;
        var c = centre();
        var action = button.getAttribute("data-zoom");
        if (action === "in") zoomTo(zoom() * STEP, c.x, c.y);
        else if (action === "out") zoomTo(zoom() / STEP, c.x, c.y);
        else zoomTo(1, base.x, base.y);
      });
    }
    apply();
  }

  function scan(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("svg.choropleth"), setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(); });
  } else {
    scan();
  }
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
  // A map a script put in the page later (pin-drop.js) says so with this event.
  document.addEventListener("platsa:maps", function (event) { scan(event.target); });
})();
