// Search-box suggestions: a combobox that works with the keyboard and on a phone.
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  if (!input || !list) { return; }
  var url = input.getAttribute("data-suggest-url");
  var active = -1;
  var timer = null;
  var lastQuery = "";

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function choose(text) {
    input.value = text;
    close();
    input.form.submit();
  }

  function highlight(index) {
    var items = list.querySelectorAll("li");
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0 && items[index]) {
      input.setAttribute("aria-activedescendant", items[index].id);
    }
  }

  function show(suggestions) {
    list.innerHTML = "";
    suggestions.forEach(function (text, i) {
      var item = document.createElement("li");
      item.id = "search-suggestion-" + i;
      item.setAttribute("role", "option");
      item.textContent = text;
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(text);
      });
      list.appendChild(item);
    });
    list.hidden = suggestions.length === 0;
    input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
    active = -1;
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (query === lastQuery) { return; }
    lastQuery = query;
    if (query.length < 2) { close(); return; }
    fetch(url + "?q=" + encodeURIComponent(query), { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) {
        if (input.value.trim() === query) { show(data.suggestions || []); }
      })
      .catch(close);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    var count = list.querySelectorAll("li").length;
    if (event.key === "ArrowDown" && count) {
      event.preventDefault();
      highlight((active + 1) % count);
    } else if (event.key === "ArrowUp" && count) {
      event.preventDefault();
      highlight((active - 1 + count) % count);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(list.querySelectorAll("li")[active].textContent);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();

// Search filters: folded behind the «Filters» button on a phone (the page works so without
// script); open beside the results as soon as the screen is wide enough for a column.
(function () {
  "use strict";
  var filters = document.getElementById("search-filters");
  if (!filters || !window.matchMedia) { return; }
  var wide = window.matchMedia("(min-width: 860px)");
  function follow() {
    if (wide.matches) { filters.open = true; }
  }
  follow();
  if (wide.addEventListener) { wide.addEventListener("change", follow); }
})();
