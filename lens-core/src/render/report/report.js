(function () {
  var input = document.getElementById("filter");
  if (!input) return;
  var rows = document.querySelectorAll("#table-list tr[data-k]");
  var count = document.getElementById("filter-count");
  var timer = null;
  input.hidden = false;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.toLowerCase(), shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var hide = q !== "" && rows[i].getAttribute("data-k").indexOf(q) < 0;
        rows[i].hidden = hide;
        if (!hide) shown++;
      }
      if (count) count.textContent = shown + " of " + rows.length + " shown";
    }, 120);
  });
})();
