// greyrelay admin: small progressive enhancements. Everything works without this file; no inline script anywhere
// (the CSP allows scripts from this origin only).
(function () {
  "use strict";

  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }

  // htmx requests carry the session's CSRF token as a header (forms carry it as a hidden field too)
  document.addEventListener("htmx:configRequest", function (e) {
    e.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // forms that delete or bounce ask first
  document.addEventListener("submit", function (e) {
    var form = e.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
})();

// Time display (issue 17): every time is rendered in UTC as <time datetime="…Z">. A user who chose local time
// (<html data-time="local">, kept with the user) sees each one in the browser's zone instead, with the UTC text in its
// title; a " UTC" written after a time becomes the local zone's short name. Without this script the page stays in UTC.
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function local(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }

  function zoneName(d) {
    try {
      var part = new Intl.DateTimeFormat(undefined, { timeZoneName: "short" }).formatToParts(d)
        .filter(function (p) { return p.type === "timeZoneName"; })[0];
      return part ? part.value : "local";
    } catch (e) {
      return "local";
    }
  }

  function convert(root) {
    if (document.documentElement.getAttribute("data-time") !== "local") return;
    Array.prototype.forEach.call(root.querySelectorAll("time[datetime]:not([data-local])"), function (el) {
      var d = new Date(el.getAttribute("datetime"));
      if (isNaN(d.getTime())) return;
      el.setAttribute("title", el.textContent + " UTC");
      el.textContent = local(d);
      el.setAttribute("data-local", "");
      var next = el.nextSibling;
      if (next && next.nodeType === 3 && next.nodeValue.indexOf(" UTC") === 0) {
        next.nodeValue = " " + zoneName(d) + next.nodeValue.substring(4);
      }
    });
    var zone = document.querySelector(".foot .time-zone");
    if (zone) {
      var name = Intl.DateTimeFormat().resolvedOptions().timeZone;
      zone.textContent = "local time" + (name ? " (" + name + ")" : "");
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { convert(document); });
  } else {
    convert(document);
  }
  // parts of the page that htmx swaps in (searches, queue actions)
  document.addEventListener("htmx:afterSettle", function (e) { convert(e.target || document); });
})();
