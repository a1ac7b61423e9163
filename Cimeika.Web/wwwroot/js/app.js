// Progressive enhancement only: every page works without this file.
(function () {
    "use strict";

    // A visible, dismissible message for htmx failures (never a silent one).
    function notify(message) {
        var region = document.getElementById("notices");
        if (!region) return;
        var p = document.createElement("p");
        p.className = "notice error";
        p.setAttribute("role", "alert");
        var text = document.createElement("span");
        text.textContent = message;
        var close = document.createElement("button");
        close.type = "button";
        close.textContent = "×";
        close.setAttribute("aria-label", document.body.dataset.errorDismiss || "×");
        close.addEventListener("click", function () { p.remove(); });
        p.append(text, close);
        region.replaceChildren(p);
    }

    document.addEventListener("htmx:responseError", function (event) {
        var xhr = event.detail.xhr;
        var data = document.body.dataset;
        if (xhr.status === 429) {
            var retry = xhr.getResponseHeader("Retry-After") || "60";
            notify((data.errorRateLimited || "").replace("{0}", retry));
        } else {
            notify(data.errorGeneric);
        }
    });
    document.addEventListener("htmx:sendError", function () { notify(document.body.dataset.errorNetwork); });

    // Range inputs show their value next to them (data-output names the <output>); delegated, so
    // inputs swapped in by htmx work too.
    document.addEventListener("input", function (event) {
        var target = event.target;
        if (!(target instanceof HTMLInputElement) || !target.dataset.output) return;
        var output = document.getElementById(target.dataset.output);
        if (output) output.textContent = target.value;
    });

    // The Ci button: without JavaScript a link to /ci, with it an overlay.
    var overlay = document.getElementById("ci-overlay");
    var button = document.querySelector("[data-ci-overlay]");
    if (!overlay || !button || typeof overlay.showModal !== "function") return;

    var search = overlay.querySelector("input[type=search]");
    var status = overlay.querySelector("[data-ci-status]");

    function checkStatus() {
        fetch("/health", { headers: { "Accept": "application/json" }, cache: "no-store" })
            .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
            .then(function (body) {
                status.textContent = body.status === "ok" ? overlay.dataset.statusOk : overlay.dataset.statusDown;
            })
            .catch(function () { status.textContent = overlay.dataset.statusDown; });
    }

    button.addEventListener("click", function (event) {
        event.preventDefault();
        overlay.showModal();
        search.value = "";
        filter();
        search.focus();
        checkStatus();
    });
    overlay.querySelector("[data-ci-close]").addEventListener("click", function () { overlay.close(); });

    function filter() {
        var term = search.value.trim().toLowerCase();
        overlay.querySelectorAll(".ci-overlay-modules li").forEach(function (li) {
            var haystack = li.firstElementChild.dataset.search.toLowerCase();
            li.hidden = term !== "" && haystack.indexOf(term) === -1;
        });
    }
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") return;
        var first = overlay.querySelector(".ci-overlay-modules li:not([hidden]) a");
        if (first) { event.preventDefault(); first.click(); }
    });
})();
