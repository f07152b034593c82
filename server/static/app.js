// vnkg: autocomplete for search boxes (inputs with data-autocomplete), using /api/search.
(function () {
  "use strict";

  function debounce(fn, ms) {
    let timer = null;
    return function () {
      const args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function attach(input) {
    const box = document.createElement("ul");
    box.className = "suggest";
    box.hidden = true;
    box.setAttribute("role", "listbox");
    input.parentNode.classList.add("has-suggest");
    input.parentNode.appendChild(box);
    input.setAttribute("aria-autocomplete", "list");
    const classes = (input.dataset.classes || "").split(/\s+/).filter(Boolean);
    const navigate = input.dataset.classes === undefined;  // the site-wide boxes open the page
    let active = -1;
    let items = [];
    let seq = 0;

    function close() { box.hidden = true; active = -1; }

    function render(results) {
      box.textContent = "";
      items = results;
      results.forEach(function (r, i) {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.dataset.index = String(i);
        const a = document.createElement("a");
        a.href = r.href;
        a.className = "hit " + (r.style || "");
        a.textContent = r.label;
        li.appendChild(a);
        const meta = document.createElement("span");
        meta.className = "ctx";
        meta.textContent = [r.kind_label, r.context].filter(Boolean).join(" · ");
        li.appendChild(meta);
        li.addEventListener("mousedown", function (ev) {
          ev.preventDefault();
          choose(i);
        });
        box.appendChild(li);
      });
      box.hidden = results.length === 0;
    }

    function choose(i) {
      const r = items[i];
      if (!r) return;
      if (navigate) {
        window.location.href = r.href;
      } else {
        input.value = r.label;
        close();
      }
    }

    function highlight() {
      Array.prototype.forEach.call(box.children, function (li, i) {
        li.classList.toggle("active", i === active);
      });
    }

    const lookup = debounce(function () {
      const q = input.value.trim();
      if (q.length < 2) { close(); return; }
      const mine = ++seq;
      const params = new URLSearchParams({ q: q, limit: "8" });
      classes.forEach(function (c) { params.append("class", c); });
      fetch("/api/search?" + params.toString(), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (mine === seq) render(data.results || []); })
        .catch(close);
    }, 150);

    input.addEventListener("input", lookup);
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (ev) {
      if (box.hidden) return;
      if (ev.key === "ArrowDown") { active = Math.min(active + 1, items.length - 1); highlight(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); highlight(); ev.preventDefault(); }
      else if (ev.key === "Enter" && active >= 0) { choose(active); ev.preventDefault(); }
      else if (ev.key === "Escape") { close(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-autocomplete]").forEach(attach);
  });
})();
