/*
 * Commune search as an ARIA 1.2 combobox with a list popup (WAI-ARIA APG "list autocomplete").
 *
 * Progressive enhancement: every form marked data-pvd-autocomplete already works as a plain GET
 * form (results page). This script adds suggestions from the API (data-api-url). Keyboard:
 * Down/Up move through suggestions, Enter opens the highlighted commune (or submits the form
 * when none is highlighted), Escape closes the list then clears the field.
 */
(function () {
  "use strict";

  var MIN_CHARS = 2;
  var DELAY_MS = 150;
  var LIMIT = 8;

  function placeOf(hit) {
    return hit.departement_nom
      ? hit.departement_nom + " (" + hit.departement + ")"
      : "Département " + hit.departement;
  }

  function describe(hit) {
    if ((hit.type === "COMD" || hit.type === "COMA") && hit.parent_nom) {
      return hit.type_libelle + " de " + hit.parent_nom + " — " + placeOf(hit);
    }
    if (hit.type === "ARM") {
      return hit.type_libelle + " — " + placeOf(hit);
    }
    return placeOf(hit);
  }

  function enhance(form) {
    var input = form.querySelector('input[name="q"]');
    var apiUrl = form.getAttribute("data-api-url");
    if (!input || !apiUrl || !window.fetch) {
      return;
    }
    var wrapper = input.parentElement;
    var listId = input.id + "-listbox";

    var listbox = document.createElement("ul");
    listbox.id = listId;
    listbox.className = "pvd-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Communes suggérées");
    listbox.hidden = true;

    var empty = document.createElement("div");
    empty.className = "pvd-listbox pvd-option pvd-option--empty";
    empty.hidden = true;
    empty.textContent = "Aucune commune ne correspond. Appuyez sur Entrée pour la recherche complète.";

    var status = document.createElement("div");
    status.className = "fr-sr-only";
    status.setAttribute("role", "status");

    wrapper.appendChild(listbox);
    wrapper.appendChild(empty);
    wrapper.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var hits = [];
    var active = -1;
    var timer = null;
    var controller = null;

    function close() {
      listbox.hidden = true;
      empty.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var options = listbox.querySelectorAll('[role="option"]');
      active = index;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(index) {
      if (hits[index]) {
        window.location.assign(hits[index].url);
      }
    }

    function option(hit, index) {
      var li = document.createElement("li");
      li.id = listId + "-" + index;
      li.className = "pvd-option";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var name = document.createElement("span");
      name.className = "pvd-option__name";
      name.textContent = hit.nom;
      var meta = document.createElement("span");
      meta.className = "pvd-option__meta";
      meta.textContent = describe(hit);
      li.appendChild(name);
      li.appendChild(meta);
      li.addEventListener("click", function () { go(index); });
      li.addEventListener("mousemove", function () {
        if (active !== index) { setActive(index); }
      });
      return li;
    }

    function render(results) {
      hits = results;
      active = -1;
      listbox.textContent = "";
      input.removeAttribute("aria-activedescendant");
      if (!results.length) {
        listbox.hidden = true;
        empty.hidden = false;
        input.setAttribute("aria-expanded", "false");
        status.textContent = "Aucune commune suggérée.";
        return;
      }
      results.forEach(function (hit, i) { listbox.appendChild(option(hit, i)); });
      empty.hidden = true;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = results.length + (results.length > 1 ? " communes suggérées" : " commune suggérée") +
        ". Flèches haut et bas pour parcourir, Entrée pour ouvrir la fiche.";
    }

    function load(query) {
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var url = apiUrl + "?" + new URLSearchParams({ q: query, limit: String(LIMIT) });
      fetch(url, { headers: { Accept: "application/json" }, signal: controller && controller.signal })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (results) {
          if (input.value.trim() === query && document.activeElement === input) { render(results); }
        })
        .catch(function () { /* aborted or unreachable: the plain form still works */ });
    }

    input.addEventListener("input", function () {
      var query = input.value.trim();
      window.clearTimeout(timer);
      if (query.length < MIN_CHARS) {
        if (controller) { controller.abort(); }
        hits = [];
        close();
        return;
      }
      timer = window.setTimeout(function () { load(query); }, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      switch (event.key) {
        case "ArrowDown":
          if (!hits.length) { return; }
          event.preventDefault();
          if (!open) { render(hits); }
          setActive(active + 1 < hits.length ? active + 1 : 0);
          break;
        case "ArrowUp":
          if (!hits.length) { return; }
          event.preventDefault();
          if (!open) { render(hits); }
          setActive(active > 0 ? active - 1 : hits.length - 1);
          break;
        case "Enter":
          if (open && active >= 0) {
            event.preventDefault();
            go(active);
          }
          break;
        case "Escape":
          if (open || !empty.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            hits = [];
          }
          break;
        case "Tab":
          close();
          break;
      }
    });

    // Keep the focus in the field while clicking a suggestion or the list's scrollbar.
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    input.addEventListener("blur", close);
  }

  function init() {
    var forms = document.querySelectorAll("form[data-pvd-autocomplete]");
    for (var i = 0; i < forms.length; i++) { enhance(forms[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
