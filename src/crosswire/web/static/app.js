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
  // Filters: open on wide screens, folded on small ones (the form submits only with its button,
  // so arrow keys in a select browse its options).
  var box = document.getElementById("filters");
  if (box && !box.open && window.matchMedia("(min-width: 700px)").matches) { box.open = true; }
  // A link to a section or an item inside a folded "show all" opens it.
  var openTarget = function () {
    var el = window.location.hash && document.getElementById(window.location.hash.slice(1));
    for (var d = el && el.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) { d.open = true; }
  };
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
