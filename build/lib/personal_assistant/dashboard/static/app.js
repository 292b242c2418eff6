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
        .then(function (response) {
          // Signed out meanwhile (the fragment redirected to the login page): show that page.
          if (response.redirected) { window.location.reload(); return null; }
          return response.ok ? response.text() : null;
        })
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
    // (Scrolls only the list, never the page.)
    var list = document.querySelector(".nav-list");
    var current = document.querySelector(".nav-list [aria-current=page]");
    if (list && current && list.scrollWidth > list.clientWidth) {
      list.scrollLeft = current.offsetLeft - (list.clientWidth - current.offsetWidth) / 2;
    }

    var live = document.querySelectorAll("[data-poll-url]");
    for (var i = 0; i < live.length; i++) { startPolling(live[i]); }

    // Forms that may take a moment (the assistant is thinking): say so, and avoid double sends.
    var slow = document.querySelectorAll("form[data-busy-text]");
    for (var j = 0; j < slow.length; j++) {
      slow[j].addEventListener("submit", function (event) {
        var button = event.target.querySelector("button[type=submit]");
        if (button) {
          button.disabled = true;
          button.textContent = event.target.getAttribute("data-busy-text");
        }
      });
    }

    // Back from sending a text (#composer): the message box is ready for the next one.
    if (window.location.hash === "#composer") {
      var box = document.querySelector("#composer textarea");
      if (box) { box.focus(); }
    }
  });
})();
