/* The contract form's supplier box: as one types, ask the server for matching suppliers (scoped to what
   the person may see) and offer them in the box's <datalist>. Without JavaScript the box still takes a
   name or a Companies House number, which the server reads back. */
(function () {
  "use strict";

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-search-url");
    var timer = null;
    var asked = "";
    if (!list || !url) return;
    input.addEventListener("input", function () {
      var text = input.value.trim();
      clearTimeout(timer);
      if (text.length < 2 || text === asked) return;
      timer = setTimeout(function () {
        asked = text;
        fetch(url + "?q=" + encodeURIComponent(text), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.results.map(function (result) {
              var option = document.createElement("option");
              option.value = result.label;
              return option;
            }));
          })
          .catch(function () { /* the box still works as plain text */ });
      }, 200);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-search-url][list]").forEach(attach);
  });
})();
