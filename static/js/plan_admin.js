/* The admin plan page (plans.admin.PlanAdmin.Media).
   - Each value cell's reading ("Cách hiểu") follows what is typed: a short pause after the last key,
     then the server's own parser answers (admin:plans_plan_reading, JSON). The reading the server
     printed stays until then; without this script it is shown after saving.
   - Choosing another indicator reads the row's cells again, against it.
   - Textareas of the target blocks grow with their text where CSS field-sizing is not supported. */
(function () {
    "use strict";
    var DEBOUNCE_MS = 350;
    var timers = new WeakMap();
    var requests = new WeakMap();

    function readingOf(input) {
        var cell = input.closest(".value-cell");
        return cell ? cell.querySelector(".reading") : null;
    }

    function indicatorOf(input) {
        var block = input.closest(".target-block");
        var select = block ? block.querySelector("select[name$='-indicator']") : null;
        return select ? select.value : "";
    }

    function show(output, data) {
        output.classList.remove("pending");
        output.textContent = data.reading || "";
        var reasons = [];
        if (data.flag) { reasons.push(data.reason); }
        (data.warnings || []).forEach(function (w) { reasons.push(w); });
        reasons.forEach(function (reason) {
            var strong = document.createElement("strong");
            strong.className = "flag";
            strong.textContent = " ⚠ " + reason;
            output.appendChild(strong);
        });
    }

    function ask(input, url) {
        var output = readingOf(input);
        if (!output) { return; }
        var previous = requests.get(input);
        if (previous) { previous.abort(); }
        var controller = new AbortController();
        requests.set(input, controller);
        var query = new URLSearchParams({ wording: input.value, indicator: indicatorOf(input) });
        output.classList.add("pending");
        fetch(url + "?" + query.toString(), {
            credentials: "same-origin",
            headers: { "Accept": "application/json" },
            signal: controller.signal
        }).then(function (response) {
            if (!response.ok) { throw new Error(String(response.status)); }
            return response.json();
        }).then(function (data) {
            show(output, data);
        }).catch(function (error) {
            if (error.name !== "AbortError") { output.classList.remove("pending"); }
        });
    }

    function grow(textarea) {
        if (window.CSS && CSS.supports && CSS.supports("field-sizing", "content")) { return; }
        textarea.style.height = "auto";
        textarea.style.height = textarea.scrollHeight + 2 + "px";
    }

    document.addEventListener("DOMContentLoaded", function () {
        var group = document.querySelector(".target-inline[data-reading-url]");
        if (!group) { return; }
        var url = group.getAttribute("data-reading-url");
        group.addEventListener("input", function (event) {
            var target = event.target;
            if (target.matches("input.js-value-wording")) {
                clearTimeout(timers.get(target));
                timers.set(target, setTimeout(function () { ask(target, url); }, DEBOUNCE_MS));
            } else if (target.matches("textarea.js-autogrow")) {
                grow(target);
            }
        });
        group.querySelectorAll("textarea.js-autogrow").forEach(grow);
        // Another indicator: read the row's cells again (a count is no value for a percentage).
        // The autocomplete (select2) announces its change through jQuery only.
        if (window.django && window.django.jQuery) {
            window.django.jQuery(group).on("change", "select[name$='-indicator']", function () {
                var block = this.closest(".target-block");
                block.querySelectorAll("input.js-value-wording").forEach(function (input) {
                    if (input.value.trim()) { ask(input, url); }
                });
            });
        }
    });
})();
