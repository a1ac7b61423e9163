// The operator dashboard's live region (#health-live), on top of htmx polling. The page works
// without this file: it adds the banner for failed fetches and keeps opened/closed endpoints as
// the operator left them across refreshes.
(function () {
    "use strict";

    var banner = document.getElementById("health-fetch-error");
    var chosen = {};

    function live(event) {
        var element = event.detail && event.detail.elt;
        return element && element.closest && element.closest("#health-live");
    }

    function failed(event) {
        if (!live(event) || !banner) return;
        banner.hidden = false;
        // This banner says it better than the generic notice of app.js.
        event.stopPropagation();
    }

    ["htmx:responseError", "htmx:sendError", "htmx:timeout"].forEach(function (name) {
        document.body.addEventListener(name, failed);
    });

    // Only the operator's own clicks count: details also toggle when a refresh renders them.
    document.addEventListener("click", function (event) {
        var summary = event.target.closest && event.target.closest("details[data-endpoint] > summary");
        if (summary) chosen[summary.parentElement.dataset.endpoint] = !summary.parentElement.open;
    });

    document.body.addEventListener("htmx:afterSwap", function (event) {
        if (event.detail.target.id !== "health-live") return;
        if (banner) banner.hidden = true;
        document.querySelectorAll("#health-live details[data-endpoint]").forEach(function (details) {
            var open = chosen[details.dataset.endpoint];
            if (open !== undefined) details.open = open;
        });
    });
})();
