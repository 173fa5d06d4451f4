/* City case library: narrow the list of cases by track, country, region and city size.
 *
 * The index page (cases/index.md, written by cda) is a plain list that works without JavaScript:
 * each item holds a <span class="cda-case"> with data-track (space-separated), data-country,
 * data-region and data-size. This script shows the filter controls (hidden in the page), and hides
 * the items that do not match. Nothing is fetched: it works from file:// and in the offline bundle.
 */
(function () {
  "use strict";

  function setup() {
    var form = document.querySelector("form.cda-case-filters");
    if (!form || form.getAttribute("data-ready") === "1") {
      return;
    }
    form.setAttribute("data-ready", "1");
    var count = document.querySelector(".cda-case-count");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var items = Array.prototype.map.call(document.querySelectorAll("span.cda-case"), function (span) {
      var item = span.closest("li") || span;
      return { item: item, data: span.dataset };
    });

    function matches(entry) {
      return selects.every(function (select) {
        var want = select.value;
        if (!want) {
          return true;
        }
        var have = entry.data[select.getAttribute("data-filter")] || "";
        return have.split(" ").indexOf(want) !== -1;
      });
    }

    function apply() {
      var shown = 0;
      items.forEach(function (entry) {
        var show = matches(entry);
        entry.item.hidden = !show;
        shown += show ? 1 : 0;
      });
      if (count) {
        count.textContent = (count.getAttribute("data-template") || "{shown} / {total}")
          .replace("{shown}", String(shown)).replace("{total}", String(items.length));
      }
    }

    form.addEventListener("change", apply);
    form.addEventListener("input", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    if (count) {
      count.hidden = false;
    }
    apply();
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setup);  /* Material: also after instant navigation */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
