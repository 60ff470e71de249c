// Small improvements on pages that work without script: the product gallery and sort menus.
(function () {
  "use strict";

  // Gallery: a thumbnail is a link to the page with that photo large (?photo=n). With script
  // the large photo changes in place and the address follows, so it can still be shared.
  function setUpGallery(gallery) {
    var main = gallery.querySelector(".gallery-main");
    var links = gallery.querySelectorAll(".thumbs a[data-src]");
    if (!main || !links.length) { return; }
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
          return; // a new tab or window gets the page itself
        }
        event.preventDefault();
        var thumb = link.querySelector("img");
        // srcset first: the browser then picks one picture instead of loading two.
        if (link.getAttribute("data-srcset")) {
          main.srcset = link.getAttribute("data-srcset");
        } else {
          main.removeAttribute("srcset");
        }
        main.src = link.getAttribute("data-src");
        if (thumb) { main.alt = thumb.alt; }
        links.forEach(function (other) { other.removeAttribute("aria-current"); });
        link.setAttribute("aria-current", "true");
        if (window.history && history.replaceState) {
          history.replaceState(history.state, "", link.href);
        }
      });
    });
  }

  // Sort menus: choosing with a mouse or a finger applies at once, so the button is hidden.
  // Arrowing through the menu with the keys does not send the form on every step: the
  // button comes back, and Enter (or the button) applies the choice.
  var NAVIGATION_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"];

  function setUpAutosubmit(select) {
    var form = select.form;
    if (!form) { return; }
    var buttons = form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
    var keyed = false;
    var pending = false;
    buttons.forEach(function (button) { button.hidden = true; });

    function send() {
      pending = false;
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }

    select.addEventListener("keydown", function (event) {
      if (NAVIGATION_KEYS.indexOf(event.key) !== -1) {
        keyed = true;
      } else if (event.key === "Enter" && pending) {
        event.preventDefault();
        send();
      }
    });
    select.addEventListener("change", function () {
      if (keyed) {
        keyed = false;
        pending = true;
        buttons.forEach(function (button) { button.hidden = false; });
        return;
      }
      send();
    });
    select.addEventListener("pointerdown", function () { keyed = false; });
  }

  function start() {
    document.querySelectorAll("[data-gallery]").forEach(setUpGallery);
    document.querySelectorAll("select[data-autosubmit]").forEach(setUpAutosubmit);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
