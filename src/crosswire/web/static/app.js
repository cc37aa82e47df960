// crosswire: the little JavaScript the pages use. Pages work without it.
(function () {
  "use strict";
  // Upload status: poll the JSON status and update the progress bar; reload when the job ends.
  var job = document.getElementById("job");
  if (job && job.dataset.finished === "no") {
    var id = job.dataset.job;
    var tick = function () {
      fetch("/api/uploads/" + encodeURIComponent(id), {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.finished) { window.location.reload(); return; }
          var bar = document.getElementById("job-progress");
          var count = document.getElementById("job-count");
          var status = document.getElementById("job-status");
          if (bar) { bar.max = s.total || 1; bar.value = s.done; }
          if (count) { count.textContent = s.done + " / " + s.total + (s.stage ? " (" + s.stage + ")" : ""); }
          if (status) { status.textContent = s.status; }
          window.setTimeout(tick, 700);
        })
        .catch(function () { window.setTimeout(tick, 2000); });
    };
    window.setTimeout(tick, 500);
  }
  // Filters: changing a select submits the form.
  var filters = document.querySelector("form.filters");
  if (filters) {
    filters.querySelectorAll("select").forEach(function (sel) {
      sel.addEventListener("change", function () { filters.submit(); });
    });
  }
})();
