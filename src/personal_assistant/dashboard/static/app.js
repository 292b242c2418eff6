// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";

  // Live regions: <div data-poll-url="/conversation/messages" data-poll-seconds="3">.
  // Fetches the fragment and swaps it in when it changed; scrolls threads to the newest message.
  function scrollToEnd(container) {
    var thread = container.querySelector(".thread");
    if (thread) { thread.scrollTop = thread.scrollHeight; }
  }

  function startPolling(container) {
    var url = container.getAttribute("data-poll-url");
    var seconds = parseFloat(container.getAttribute("data-poll-seconds") || "3");
    var last = container.innerHTML;
    var busy = false;
    scrollToEnd(container);

    function tick() {
      if (busy || document.hidden) { return; }
      busy = true;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html !== null && html !== last) {
            container.innerHTML = html;
            last = container.innerHTML;
            scrollToEnd(container);
          }
        })
        .catch(function () { /* offline for a moment: try again on the next tick */ })
        .then(function () { busy = false; });
    }
    window.setInterval(tick, Math.max(1, seconds) * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    // On a narrow screen the nav scrolls sideways: bring the current page's link into view.
    var current = document.querySelector(".nav-list [aria-current=page]");
    if (current && current.scrollIntoView) { current.scrollIntoView({ block: "nearest", inline: "center" }); }

    var live = document.querySelectorAll("[data-poll-url]");
    for (var i = 0; i < live.length; i++) { startPolling(live[i]); }

    // Keep the message box focused after sending, so texting feels like texting.
    var autofocus = document.querySelector("[data-focus-after-load]");
    if (autofocus && window.location.hash !== "#main") { autofocus.focus(); }
  });
})();
