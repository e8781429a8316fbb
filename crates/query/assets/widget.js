/*
 * Publication search widget. Embed with:
 *   <div id="library-search"></div>
 *   <script src="https://SEARCH-HOST/widget.js" data-target="#library-search" async></script>
 * Options (attributes of the script tag): data-target (CSS selector, required),
 * data-placeholder, data-label, data-limit (1-10), data-mode (website|strict), data-language (es,pt),
 * data-css="false" (do not load widget.css).
 * The API is called at the origin and path this script was loaded from; that site must list
 * the embedding page's origin in its CORS configuration.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    var all = document.querySelectorAll("script[src*='widget.js'][data-target]");
    script = all[all.length - 1];
  }
  if (!script || !script.src) { return; }

  var src = new URL(script.src, window.location.href);
  var base = src.origin + src.pathname.replace(/\/widget\.js$/, "");
  var opts = script.dataset || {};
  var limit = Math.max(1, Math.min(10, parseInt(opts.limit, 10) || 5));
  var mode = opts.mode === "strict" ? "strict" : "website";
  /* data-language="es,pt": only publications in these languages, searched with their analysis. */
  var langParams = (opts.language || "").split(",").map(function (l) { return l.trim(); })
    .filter(Boolean).map(function (l) { return "&language=" + encodeURIComponent(l); }).join("");
  var counter = (window.__pubsearchWidgets = (window.__pubsearchWidgets || 0) + 1);
  var prefix = "psw" + counter + "-";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function decode(s) {
    return s.replace(/&(amp|lt|gt|quot|#39|#x27|#(\d+));/g, function (m, name, num) {
      switch (name) {
        case "amp": return "&";
        case "lt": return "<";
        case "gt": return ">";
        case "quot": return "\"";
        case "#39": case "#x27": return "'";
        default: return String.fromCharCode(parseInt(num, 10));
      }
    });
  }

  /* A snippet is escaped text with <mark> around matches: rebuild it as nodes. */
  function snippetNodes(html, into) {
    var parts = String(html).split(/(<mark>|<\/mark>)/);
    var marked = false;
    parts.forEach(function (part) {
      if (part === "<mark>") { marked = true; return; }
      if (part === "</mark>") { marked = false; return; }
      if (!part) { return; }
      var text = decode(part.replace(/<[^>]*>/g, ""));
      into.appendChild(marked ? el("mark", null, text) : document.createTextNode(text));
    });
  }

  function year(date) { return date ? String(date).slice(0, 4) : "undated"; }

  function build(target) {
    if (opts.css !== "false" && !document.querySelector("link[data-pubsearch-widget]")) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = base + "/widget.css";
      link.setAttribute("data-pubsearch-widget", "");
      document.head.appendChild(link);
    }
    var root = el("div", "psw");
    var label = el("label", "psw-label", opts.label || "Search our publications");
    var inputId = prefix + "input";
    var listId = prefix + "results";
    label.htmlFor = inputId;
    var input = el("input", "psw-input");
    input.type = "text";
    input.enterKeyHint = "search";
    input.id = inputId;
    input.autocomplete = "off";
    input.placeholder = opts.placeholder || "Search reports, guides, newsletters…";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var status = el("div", "psw-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var panel = el("div", "psw-panel");
    panel.id = listId;
    panel.hidden = true;
    root.appendChild(label);
    root.appendChild(input);
    root.appendChild(status);
    root.appendChild(panel);
    target.appendChild(root);

    var timer = 0;
    var controller = null;
    var seq = 0;

    function close() {
      panel.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }
    function open() {
      panel.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function allHref(q) {
      return base + "/?q=" + encodeURIComponent(q) + (mode === "strict" ? "&mode=strict" : "") +
        langParams;
    }

    function render(q, body) {
      panel.textContent = "";
      var hits = body.hits || [];
      if (hits.length === 0) {
        panel.appendChild(el("p", "psw-empty", "No publications match."));
        status.textContent = "No results";
        open();
        return;
      }
      var list = el("ul", "psw-results");
      hits.forEach(function (hit) {
        var li = el("li", "psw-hit");
        var title = el("a", "psw-title", hit.title);
        title.href = base + "/publications/" + encodeURIComponent(hit.id) +
          "?q=" + encodeURIComponent(q) + (mode === "strict" ? "&mode=strict" : "");
        if (hit.language) { title.lang = hit.language; }
        title.dir = "auto";
        li.appendChild(title);
        var meta = el("span", "psw-meta", [year(hit.date), hit.type].filter(Boolean).join(" · "));
        li.appendChild(meta);
        var page = hit.pages && hit.pages[0];
        if (page) {
          var snippet = el("p", "psw-snippet");
          if (hit.language) { snippet.lang = hit.language; }
          snippet.dir = "auto";
          snippetNodes(page.snippet, snippet);
          li.appendChild(snippet);
          var pageLink = el("a", "psw-page", "Page " + page.page);
          pageLink.href = base + page.url;
          li.appendChild(pageLink);
        } else if (hit.summary) {
          li.appendChild(el("p", "psw-snippet", hit.summary));
        }
        list.appendChild(li);
      });
      panel.appendChild(list);
      var all = el("a", "psw-all",
        body.total > hits.length ? "See all " + body.total + " results" : "See all results");
      all.href = allHref(q);
      panel.appendChild(all);
      status.textContent = body.total === 1 ? "1 result" : body.total + " results";
      open();
    }

    function search() {
      var q = input.value.trim();
      if (q.length < 2) {
        panel.textContent = "";
        status.textContent = "";
        close();
        return;
      }
      if (controller) { controller.abort(); }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      var mine = ++seq;
      var url = base + "/api/search?q=" + encodeURIComponent(q) + "&mode=" + mode +
        "&per_page=" + limit + langParams;
      fetch(url, {
        mode: "cors",
        credentials: "omit",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (r) {
        if (!r.ok) {
          return r.json().then(function (e) { throw failure(r.status, e); },
            function () { throw failure(r.status, {}); });
        }
        return r.json();
      }).then(function (body) {
        if (mine === seq) { render(q, body); }
      }).catch(function (e) {
        if (e && e.name === "AbortError") { return; }
        if (mine !== seq) { return; }
        var message = e && e.widgetMessage;
        if (!message) {
          /* fetch itself failed: the server is down, or it does not allow this page's origin
             (the browser hides which). Tell the site's developer what to check. */
          message = "Search could not reach the library. Please try again later.";
          if (window.console) {
            console.error("pubsearch widget: the request to " + base + "/api/search failed. " +
              "If the server is running, it must allow this page's origin: start it with " +
              "--cors-origins " + window.location.origin + " (or PUBSEARCH_CORS_ORIGINS=" +
              window.location.origin + ").");
          }
        }
        panel.textContent = "";
        panel.appendChild(el("p", "psw-error", message));
        var fallback = el("a", "psw-all", "Search on the library site");
        fallback.href = allHref(q);
        panel.appendChild(fallback);
        status.textContent = message;
        open();
      });
    }

    /* The message an answer other than 200 gets: the server's own words for a query it cannot
       run (they say what to change), plain words for the rest. */
    function failure(status, body) {
      var message;
      if (status === 400 && body && body.message) {
        message = "This search cannot be run: " + String(body.message).replace(/\.$/, "") + ".";
      } else if (status === 413 || status === 414 || status === 431) {
        message = "This search is too long. Please use fewer words.";
      } else if (status === 429 || (status === 503 && body && body.code === "busy")) {
        message = "Search is busy. Please try again in a moment.";
      } else if (status === 503 && body && body.code === "timeout") {
        message = "The search took too long. Please try fewer or more specific words.";
      } else {
        message = "Search is unavailable right now.";
      }
      var e = new Error(message);
      e.widgetMessage = message;
      return e;
    }

    function links() { return Array.prototype.slice.call(panel.querySelectorAll("a")); }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" && !panel.hidden) {
        var first = links()[0];
        if (first) { first.focus(); ev.preventDefault(); }
      } else if (ev.key === "Escape") {
        close();
      } else if (ev.key === "Enter") {
        var q = input.value.trim();
        if (q) { window.location.assign(allHref(q)); }
        ev.preventDefault();
      }
    });
    panel.addEventListener("keydown", function (ev) {
      var ls = links();
      var i = ls.indexOf(document.activeElement);
      if (ev.key === "ArrowDown" && i >= 0) {
        (ls[i + 1] || ls[0]).focus();
        ev.preventDefault();
      } else if (ev.key === "ArrowUp" && i >= 0) {
        if (i === 0) { input.focus(); } else { ls[i - 1].focus(); }
        ev.preventDefault();
      } else if (ev.key === "Escape") {
        close();
        input.focus();
      }
    });
    input.addEventListener("focus", function () {
      if (panel.childNodes.length > 0 && input.value.trim().length >= 2) { open(); }
    });
    document.addEventListener("click", function (ev) {
      if (!root.contains(ev.target)) { close(); }
    });
  }

  function start() {
    var target = opts.target ? document.querySelector(opts.target) : null;
    if (!target) {
      if (window.console) { window.console.warn("pubsearch widget: no element matches data-target"); }
      return;
    }
    build(target);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
