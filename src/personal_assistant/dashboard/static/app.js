// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";

  // Loaded in <head> without defer so this runs before the first paint: the small-screen menu
  // starts folded instead of flashing open (the CSS folds it only when .js is there).
  document.documentElement.classList.add("js");

  // The small-screen menu: a real button that says whether the menu is open.
  function setUpMenu() {
    var button = document.querySelector(".menu-button");
    var menu = document.getElementById("site-menu");
    if (!button || !menu) { return; }
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

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
    setUpMenu();

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
