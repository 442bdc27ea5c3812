/*
 * GovSite public pages: 长者模式 toggle, article font size and print.
 * Progressive enhancement: the controls carry `hidden` in the HTML and appear only when this script runs,
 * so a visitor without JavaScript never meets a button that does nothing. No inline handlers (CSP-friendly).
 */
(function () {
    "use strict";

    var ELDER_COOKIE = "govsite_elder";
    var root = document.documentElement;

    function elderCookieOn() {
        return document.cookie.split(/;\s*/).indexOf(ELDER_COOKIE + "=1") !== -1;
    }

    function saveElder(on) {
        var secure = window.location.protocol === "https:" ? "; Secure" : "";
        document.cookie = ELDER_COOKIE + "=" + (on ? "1" : "0") + "; path=/; max-age=" +
            (on ? 31536000 : 0) + "; SameSite=Lax" + secure;
    }

    function setPressed(buttons, isPressed) {
        buttons.forEach(function (button) {
            button.setAttribute("aria-pressed", isPressed(button) ? "true" : "false");
        });
    }

    var elderButtons = Array.prototype.slice.call(document.querySelectorAll("[data-elder-toggle]"));
    root.classList.toggle("elder", elderCookieOn());
    setPressed(elderButtons, function () { return root.classList.contains("elder"); });
    elderButtons.forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
            var on = !root.classList.contains("elder");
            root.classList.toggle("elder", on);
            saveElder(on);
            setPressed(elderButtons, function () { return on; });
        });
    });

    var tools = document.querySelector("[data-article-tools]");
    var body = document.querySelector("[data-article-body]");
    if (tools && body) {
        var sizeButtons = Array.prototype.slice.call(tools.querySelectorAll("[data-font-size]"));
        sizeButtons.forEach(function (button) {
            button.addEventListener("click", function () {
                var size = button.getAttribute("data-font-size");
                body.classList.remove("font-large", "font-small");
                if (size !== "medium") {
                    body.classList.add("font-" + size);
                }
                setPressed(sizeButtons, function (other) { return other === button; });
            });
        });
        var printButton = tools.querySelector("[data-print]");
        if (printButton) {
            printButton.addEventListener("click", function () { window.print(); });
        }
        tools.hidden = false;
    }
})();
