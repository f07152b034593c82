// vnkg: a resource's neighbourhood as an interactive graph (Cytoscape.js from npm).
// Click a node to fetch and add its neighbours (/api/neighbours); double-click to open its page.
(function () {
  "use strict";

  const COLORS = {
    "k-org": "#2563eb", "k-place": "#16a34a", "k-person": "#d97706", "k-event": "#db2777",
    "k-program": "#7c3aed", "k-figure": "#0891b2", "k-article": "#475569", "k-other": "#6b7280",
  };

  document.addEventListener("DOMContentLoaded", function () {
    const box = document.getElementById("cy");
    if (!box || typeof window.cytoscape === "undefined") return;
    const status = document.getElementById("graph-status");
    const api = box.dataset.api;
    const center = box.dataset.iri;
    const expanded = new Set();
    let more = 0;

    const cy = window.cytoscape({
      container: box,
      wheelSensitivity: 0.3,
      minZoom: 0.2,
      maxZoom: 3,
      style: [
        { selector: "node", style: {
          "background-color": "data(color)", "label": "data(label)", "color": "#1d2330",
          "font-size": 12, "text-wrap": "ellipsis", "text-max-width": 140, "text-valign": "bottom",
          "text-margin-y": 4, "width": 22, "height": 22, "border-width": 2, "border-color": "#fff",
          "min-zoomed-font-size": 9 } },
        { selector: "node.center", style: { "width": 34, "height": 34, "border-color": "#111", "font-weight": "bold" } },
        { selector: "node.expanded", style: { "border-color": "#111" } },
        { selector: "edge", style: {
          "width": 1.5, "line-color": "#94a3b8", "target-arrow-color": "#94a3b8", "target-arrow-shape": "triangle",
          "curve-style": "bezier", "label": "data(label)", "font-size": 9, "color": "#5d6675",
          "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.8,
          "text-background-padding": 1 } },
        { selector: "edge.quiet", style: { "label": "" } },
        { selector: "edge.quiet.hover", style: { "label": "data(label)", "line-color": "#475569", "z-index": 10 } },
        { selector: "node.hover", style: { "z-index": 10, "text-background-color": "#fff", "text-background-opacity": 0.9, "min-zoomed-font-size": 0 } },
        { selector: "node.center", style: { "min-zoomed-font-size": 0 } },
      ],
    });
    window.vnkgGraph = cy;

    function report() {
      if (!status) return;
      const text = status.dataset.template
        .replace("{nodes}", cy.nodes().length)
        .replace("{edges}", cy.edges().length);
      status.textContent = text + (more > 0 ? " " + status.dataset.more.replace("{n}", more) : "");
    }

    function add(data, around) {
      const fresh = [];
      const origin = around && around.length ? around.position() : { x: 0, y: 0 };
      const newcomers = data.nodes.filter(function (n) { return !cy.getElementById(n.id).length; });
      newcomers.forEach(function (n, i) {
        // start new nodes on a circle around the one that brought them, so the layout settles near it
        const angle = (2 * Math.PI * i) / Math.max(newcomers.length, 1);
        fresh.push({
          group: "nodes",
          data: { id: n.id, label: n.label, href: n.href, color: COLORS[n.style] || COLORS["k-other"] },
          position: { x: origin.x + 140 * Math.cos(angle), y: origin.y + 140 * Math.sin(angle) },
        });
      });
      data.edges.forEach(function (e) {
        const id = e.source + " " + e.property + " " + e.target;
        if (cy.getElementById(id).length) return;
        fresh.push({ group: "edges", data: { id: id, source: e.source, target: e.target, label: e.label } });
      });
      const added = cy.add(fresh);
      return added;
    }

    function radial() {
      // The first view is a star: the resource and its neighbours. Spread the neighbours over an
      // ellipse the shape of the box, every other one on an inner ring when there are many, so that
      // labels do not run into each other (a force layout packs a star into a small ball). When the
      // box is too small for them (a phone), the ellipse grows past it and the view is zoomed out:
      // labels then hide until one zooms in (min-zoomed-font-size) or points at a node.
      const leaves = cy.nodes().filter(function (n) { return n.id() !== center; });
      const w = box.clientWidth, h = box.clientHeight;
      let rx = Math.max(w / 2 - 80, 60), ry = Math.max(h / 2 - 34, 50);
      const two = leaves.length > 12;
      const outer = two ? Math.ceil(leaves.length / 2) : leaves.length;
      const perimeter = Math.PI * (3 * (rx + ry) - Math.sqrt((3 * rx + ry) * (rx + 3 * ry)));
      const grow = Math.max(1, (outer * 130) / perimeter);
      rx *= grow;
      ry *= grow;
      const where = {};
      where[center] = { x: w / 2, y: h / 2 };
      leaves.forEach(function (n, i) {
        const angle = -Math.PI / 2 + (2 * Math.PI * i) / leaves.length;
        const ring = two && i % 2 ? 0.58 : 1;
        where[n.id()] = { x: w / 2 + rx * ring * Math.cos(angle), y: h / 2 + ry * ring * Math.sin(angle) };
      });
      cy.layout({ name: "preset", positions: function (n) { return where[n.id()]; }, fit: false }).run();
      if (grow > 1) {
        cy.fit(undefined, 12);
      } else {
        cy.zoom(1);
        cy.pan({ x: 0, y: 0 });
      }
    }

    function layout() {
      // many links: their labels only on hover, or they cover the nodes
      cy.edges().toggleClass("quiet", cy.edges().length > 12);
      if (expanded.size <= 1) { radial(); return; }
      const run = cy.layout({
        name: "cose", animate: false, randomize: false, fit: true, padding: 30,
        idealEdgeLength: function () { return 110; }, nodeOverlap: 20, nodeRepulsion: function () { return 400000; },
        edgeElasticity: function () { return 100; }, gravity: 80, numIter: 1000,
      });
      run.one("layoutstop", function () {
        // a few nodes fitted to the box would be drawn huge: keep them at a readable size
        if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(); }
      });
      run.run();
    }

    function expand(id) {
      if (expanded.has(id)) return;
      expanded.add(id);
      box.classList.add("loading");
      fetch(api + "?" + new URLSearchParams({ iri: id, limit: "30" }).toString(), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (data) {
          more += data.more || 0;
          add(data, cy.getElementById(id));
          cy.getElementById(id).addClass("expanded");
          layout();
          report();
        })
        .catch(function () { expanded.delete(id); })
        .finally(function () { box.classList.remove("loading"); });
    }

    cy.on("tap", "node", function (ev) { expand(ev.target.id()); });
    cy.on("dbltap", "node", function (ev) {
      const href = ev.target.data("href");
      if (href) window.location.assign(href);
    });
    cy.on("mouseover", "node", function (ev) {
      box.style.cursor = "pointer";
      ev.target.addClass("hover").connectedEdges().addClass("hover");
    });
    cy.on("mouseout", "node", function (ev) {
      box.style.cursor = "";
      ev.target.removeClass("hover").connectedEdges().removeClass("hover");
    });
    cy.on("mouseover", "edge", function (ev) { ev.target.addClass("hover"); });
    cy.on("mouseout", "edge", function (ev) { ev.target.removeClass("hover"); });

    expand(center);
    const first = cy.getElementById(center);
    if (first.length) first.addClass("center");
    cy.one("add", "node", function () { cy.getElementById(center).addClass("center"); });
  });
})();
