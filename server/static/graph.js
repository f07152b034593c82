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
          "text-margin-y": 4, "width": 22, "height": 22, "border-width": 2, "border-color": "#fff" } },
        { selector: "node.center", style: { "width": 34, "height": 34, "border-color": "#111", "font-weight": "bold" } },
        { selector: "node.expanded", style: { "border-color": "#111" } },
        { selector: "edge", style: {
          "width": 1.5, "line-color": "#94a3b8", "target-arrow-color": "#94a3b8", "target-arrow-shape": "triangle",
          "curve-style": "bezier", "label": "data(label)", "font-size": 9, "color": "#5d6675",
          "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.8,
          "text-background-padding": 1 } },
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

    function layout() {
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
    cy.on("mouseover", "node", function () { box.style.cursor = "pointer"; });
    cy.on("mouseout", "node", function () { box.style.cursor = ""; });

    expand(center);
    const first = cy.getElementById(center);
    if (first.length) first.addClass("center");
    cy.one("add", "node", function () { cy.getElementById(center).addClass("center"); });
  });
})();
