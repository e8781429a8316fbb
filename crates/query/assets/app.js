/*
 * Enhancements for the search page. Everything works without this file: it only adds
 * - autocomplete on the search box (GET /api/suggest), as an ARIA combobox;
 * - submitting the form when a filter or the search mode changes (focus kept on reload), and
 *   when a sort order is picked (by pointer, or Enter with the keyboard);
 * - "Copy citation" buttons;
 * - leaving empty fields out of the URL;
 * - folding the filters away on small screens.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  function submitForm(form) {
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  /* Empty inputs are disabled just before submitting so they stay out of the URL. */
  function tidyOnSubmit(form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && (el.type === "search" || el.type === "number") && el.value.trim() === "") {
          el.disabled = true;
        }
        if (el.name === "sort" && el.hasAttribute("data-implicit")
            && el.value === el.getAttribute("data-initial")) {
          el.disabled = true;
        }
      });
    });
    window.addEventListener("pageshow", function () {
      Array.prototype.forEach.call(form.elements, function (el) { el.disabled = false; });
    });
  }

  /* WCAG 3.2.2: a filter or the mode applies as soon as it changes (the page reloads), and the
     reloaded page puts the focus back on the same control and announces the new result count,
     so a keyboard or screen-reader user keeps their place. The sort menu applies on an explicit
     action only: with the keyboard, arrows choose and Enter applies (or the Sort button, shown
     once the choice differs); with a pointer, picking an option applies it. */
  var FOCUS_KEY = "pubsearch-focus";

  function remember(el) {
    try {
      window.sessionStorage.setItem(FOCUS_KEY, JSON.stringify({ name: el.name, value: el.value }));
    } catch (e) { /* storage off: focus is simply not restored */ }
  }

  function restoreFocus(form) {
    var saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(FOCUS_KEY) || "null");
      window.sessionStorage.removeItem(FOCUS_KEY);
    } catch (e) { saved = null; }
    if (!saved || !saved.name) { return; }
    var target = null;
    Array.prototype.forEach.call(document.querySelectorAll("[name]"), function (el) {
      if (!target && el.name === saved.name && (el.form === form || el.getAttribute("form") === form.id)
          && (el.type !== "checkbox" || el.name === "mode" || el.value === saved.value)) {
        target = el;
      }
    });
    if (!target) { return; }
    target.focus();
    /* Live regions are not read on load: the count is said through the page's (hidden)
       status region, the visible count staying as it is. */
    var count = document.getElementById("result-count");
    var say = document.querySelector(".copy-status");
    if (count && say) {
      window.setTimeout(function () { say.textContent = count.textContent; }, 100);
    }
  }

  function autoSubmit(form) {
    var sortByKeyboard = false;
    document.addEventListener("change", function (ev) {
      var el = ev.target;
      if (!el || el.form !== form) { return; }
      if (el.name === "sort") {
        if (sortByKeyboard) {
          var apply = el.parentNode.querySelector("button");
          if (apply) { apply.classList.toggle("pending", el.value !== el.getAttribute("data-initial")); }
          return;
        }
        remember(el);
        submitForm(form);
      } else if (el.name === "type" || el.name === "topic" || el.name === "language") {
        remember(el);
        submitForm(form);
      } else if (el.name === "mode" && form.elements.q && form.elements.q.value.trim() !== "") {
        remember(el);
        submitForm(form);
      }
    });
    var sort = document.getElementById("sort");
    if (sort) {
      sort.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter") {
          ev.preventDefault();
          remember(sort);
          submitForm(form);
        } else if (ev.key !== "Tab") {
          sortByKeyboard = true;
        }
      });
      var apply = sort.parentNode.querySelector("button");
      if (apply) { apply.addEventListener("click", function () { remember(sort); }); }
      sort.addEventListener("pointerdown", function () { sortByKeyboard = false; });
      sort.addEventListener("mousedown", function () { sortByKeyboard = false; });
    }
  }

  function setupCitations() {
    var status = document.querySelector(".copy-status");
    function say(text) {
      if (status) {
        status.textContent = "";
        window.setTimeout(function () { status.textContent = text; }, 50);
      }
    }
    function fallbackCopy(text) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      return ok;
    }
    Array.prototype.forEach.call(document.querySelectorAll(".citation"), function (box) {
      var button = box.querySelector(".copy-cite");
      var text = box.querySelector(".cite-text");
      if (!button || !text) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var value = text.textContent.trim();
        var done = function () {
          button.textContent = "Copied";
          say("Citation copied");
          window.setTimeout(function () { button.textContent = "Copy citation"; }, 2000);
        };
        var fail = function () {
          if (fallbackCopy(value)) { done(); } else {
            var range = document.createRange();
            range.selectNodeContents(text);
            var sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
            say("Press Ctrl+C to copy the selected citation");
          }
        };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(value).then(done, fail);
        } else {
          fail();
        }
      });
    });
  }

  /* Autocomplete: an ARIA 1.2 combobox with a listbox popup. */
  function setupAutocomplete(form, input, list) {
    var items = [];
    var active = -1;
    var timer = 0;
    var controller = null;
    var lastQuery = null;
    var kinds = { title: "Publication", topic: "Topic", word: "" };

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(i) {
      active = i;
      items.forEach(function (it, n) {
        it.el.setAttribute("aria-selected", n === i ? "true" : "false");
      });
      if (i >= 0 && items[i]) {
        input.setAttribute("aria-activedescendant", items[i].el.id);
        items[i].el.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(s) {
      close();
      if (s.kind === "title" && s.id) {
        var url = "/publications/" + encodeURIComponent(s.id);
        window.location.assign(url);
        return;
      }
      input.value = s.text;
      submitForm(form);
    }

    function show(suggestions) {
      list.textContent = "";
      items = [];
      active = -1;
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = "q-suggestion-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "suggestion suggestion-" + s.kind;
        var text = document.createElement("span");
        text.className = "text";
        text.textContent = s.text;
        li.appendChild(text);
        if (kinds[s.kind]) {
          var kind = document.createElement("span");
          kind.className = "kind";
          kind.textContent = kinds[s.kind];
          li.appendChild(kind);
        }
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
        li.addEventListener("click", function () { choose(s); });
        list.appendChild(li);
        items.push({ el: li, s: s });
      });
      var open = items.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      input.removeAttribute("aria-activedescendant");
    }

    function fetchSuggestions() {
      var q = input.value;
      if (q === lastQuery) { return; }
      lastQuery = q;
      if (q.trim().length < 2 || q.length > 200) { close(); return; }
      if (controller) { controller.abort(); }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      fetch("/api/suggest?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (r) {
        return r.ok ? r.json() : { suggestions: [] };
      }).then(function (body) {
        if (input.value === q && document.activeElement === input) {
          show(body.suggestions || []);
        }
      }).catch(function () { /* aborted or offline: keep quiet */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (ev) {
      if (list.hidden || items.length === 0) {
        if (ev.key === "ArrowDown" && input.value.trim().length >= 2) {
          lastQuery = null;
          fetchSuggestions();
          ev.preventDefault();
        }
        return;
      }
      if (ev.key === "ArrowDown") {
        highlight((active + 1) % items.length);
        ev.preventDefault();
      } else if (ev.key === "ArrowUp") {
        highlight(active <= 0 ? items.length - 1 : active - 1);
        ev.preventDefault();
      } else if (ev.key === "Enter" && active >= 0) {
        ev.preventDefault();
        choose(items[active].s);
      } else if (ev.key === "Escape") {
        close();
        ev.preventDefault();
      } else if (ev.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  ready(function () {
    var form = document.getElementById("search");
    if (form) {
      var sort = form.elements.sort || document.getElementById("sort");
      if (sort) { sort.setAttribute("data-initial", sort.value); }
      tidyOnSubmit(form);
      autoSubmit(form);
      restoreFocus(form);
      var input = document.getElementById("q");
      var list = document.getElementById("q-suggestions");
      if (input && list) { setupAutocomplete(form, input, list); }
    }
    var pubForm = document.getElementById("pub-search");
    if (pubForm) { tidyOnSubmit(pubForm); }
    setupCitations();
    var filters = document.querySelector("details.filters");
    if (filters && window.matchMedia && window.matchMedia("(max-width: 47.99rem)").matches
        && !document.querySelector(".active-filters")) {
      filters.open = false;
    }
  });
})();
